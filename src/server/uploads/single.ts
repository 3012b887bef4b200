import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import busboy from 'busboy'
import { BodyFar, BodyStalled, bodyFailure, Meter, pipeBody } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ClientGone, HttpError, ok, type Reply } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import { assertUsable, openSession } from './access.ts'
import { storeUpload } from './store-upload.ts'

/** Room for the multipart boundaries and part headers around the file. */
const FORM_OVERHEAD = 1024 * 1024

interface ReceivedFile {
  found: boolean
  filename: string | null
  size: number
  tooLarge: boolean
}

/** Streams the form's `file` field to `temp`; other fields and files are read and dropped. */
async function receiveFile(ctx: RequestContext, temp: string): Promise<ReceivedFile> {
  const { maxFileSize } = ctx.app.options
  let form: busboy.Busboy
  try {
    form = busboy({
      headers: ctx.req.headers,
      limits: { fileSize: maxFileSize, fieldSize: 65_536 },
    })
  } catch {
    throw new HttpError(400, 'Send the file as multipart/form-data with one field named "file"')
  }
  const result: ReceivedFile = { found: false, filename: null, size: 0, tooLarge: false }
  let written: Promise<void> = Promise.resolve()
  form.on('file', (name, stream, info) => {
    if (name !== 'file' || result.found) {
      stream.resume()
      return
    }
    result.found = true
    result.filename = info.filename ?? null
    stream.on('limit', () => {
      result.tooLarge = true
    })
    const out = createWriteStream(temp)
    written = pipeline(stream, out).then(() => {
      result.size = out.bytesWritten
    })
    // Observed at the end; a rejection must not go unhandled meanwhile.
    written.catch(() => undefined)
  })
  const meter = new Meter(ctx.body(maxFileSize + FORM_OVERHEAD))
  try {
    await pipeBody(ctx.req, meter, form)
    await written
  } catch (error) {
    await rm(temp, { force: true })
    const bodyError =
      error instanceof BodyStalled || error instanceof BodyFar || error instanceof ClientGone
    const failure = bodyError ? bodyFailure(ctx.req, error, ctx.app.options.bodyTimeoutMs) : null
    // Past the limit the meter stops feeding the parser, which then sees a truncated form.
    if (meter.overLimit) return { ...result, tooLarge: true }
    if (failure) throw failure
    throw new HttpError(400, 'The multipart/form-data body is malformed')
  }
  if (result.tooLarge || meter.overLimit) {
    await rm(temp, { force: true })
    return { ...result, tooLarge: true }
  }
  return result
}

/** `POST /store/single?key=…`: the whole file in one multipart form, field `file`. */
export async function singleUpload(ctx: RequestContext): Promise<Reply> {
  const session = await openSession(ctx, 'single')
  const store = ctx.app.store
  const temp = join(store.dir(session.id), `incoming-${randomId()}`)
  const received = await receiveFile(ctx, temp)
  if (!received.found) {
    throw new HttpError(400, 'The form has no file in a field named "file"')
  }
  if (received.tooLarge) {
    throw new HttpError(413, 'The file is larger than this server accepts')
  }
  const media = await store
    .update(session.id, async (record, commit) => {
      assertUsable(record)
      const path = store.partPath(session.id, 0)
      await rename(temp, path)
      const stored = await storeUpload(
        ctx.app,
        record,
        [{ path, size: received.size }],
        received.filename,
        commit,
      )
      // Changed only once nothing can fail, so a refusal leaves the record as it was.
      record.parts['0'] = { etag: randomId('', 9), size: received.size }
      record.spent = true
      record.mediaId = stored.id
      return stored
    })
    .catch(async (error: unknown) => {
      await rm(temp, { force: true })
      throw error
    })
  ctx.app.stats.completed()
  return ok(media)
}
