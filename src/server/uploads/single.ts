import busboy from 'busboy'
import { BodyFar, BodyStalled, bodyFailure, Meter, pipeBody } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ClientGone, HttpError, ok, type Reply } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import type { StoredObject } from '../storage/types.ts'
import { assertUsable, openSession, sessionKey } from './access.ts'
import { storeUpload } from './store-upload.ts'

/** Room for the multipart boundaries and part headers around the file. */
const FORM_OVERHEAD = 1024 * 1024

interface ReceivedFile {
  found: boolean
  filename: string | null
  /** The file's bytes in the store; null when none were kept (no file, too large, a failure). */
  stored: StoredObject | null
  tooLarge: boolean
}

/** Streams the form's `file` field into the store at `key`; other fields and files are read and dropped. */
async function receiveFile(ctx: RequestContext, key: string): Promise<ReceivedFile> {
  const { maxFileSize } = ctx.app.options
  const { storage } = ctx.app
  let form: busboy.Busboy
  try {
    form = busboy({
      headers: ctx.req.headers,
      limits: { fileSize: maxFileSize, fieldSize: 65_536 },
    })
  } catch {
    throw new HttpError(400, 'Send the file as multipart/form-data with one field named "file"')
  }
  const result: ReceivedFile = { found: false, filename: null, stored: null, tooLarge: false }
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
    // A truncated form fails the stream, perhaps before the store reads it (see receiveBody).
    stream.on('error', () => undefined)
    written = storage.putObject(key, stream, null).then((stored) => {
      result.stored = stored
    })
    // Observed at the end; a rejection must not go unhandled meanwhile.
    written.catch(() => undefined)
  })
  const meter = new Meter(ctx.body(maxFileSize + FORM_OVERHEAD))
  const discard = async () => {
    await written.catch(() => undefined)
    if (result.stored) await storage.delete(result.stored)
    result.stored = null
  }
  try {
    await pipeBody(ctx.req, meter, form)
    await written
  } catch (error) {
    await discard()
    const bodyError =
      error instanceof BodyStalled || error instanceof BodyFar || error instanceof ClientGone
    const failure = bodyError ? bodyFailure(ctx.req, error, ctx.app.options.bodyTimeoutMs) : null
    // Past the limit the meter stops feeding the parser, which then sees a truncated form.
    if (meter.overLimit) return { ...result, tooLarge: true }
    if (failure) throw failure
    throw new HttpError(400, 'The multipart/form-data body is malformed')
  }
  if (result.tooLarge || meter.overLimit) {
    await discard()
    return { ...result, tooLarge: true }
  }
  return result
}

/** `POST /store/single?key=…`: the whole file in one multipart form, field `file`. */
export async function singleUpload(ctx: RequestContext): Promise<Reply> {
  const session = await openSession(ctx, 'single')
  const { storage, catalog } = ctx.app
  // Its own key per attempt, named like a resumable part's version: two posts racing on one
  // URL never write over each other's bytes, and the loser's are deleted.
  const etag = randomId('', 9)
  const file = `0.${etag}`
  const received = await receiveFile(ctx, `${sessionKey(session.id)}/parts/${file}`)
  if (!received.found) {
    throw new HttpError(400, 'The form has no file in a field named "file"')
  }
  if (received.tooLarge) throw new HttpError(413, 'The file is larger than this server accepts')
  const stored = received.stored
  if (!stored) throw new Error('The file was read but the store kept nothing of it')
  const media = await catalog
    .updateSession(session.id, async (record, commit) => {
      assertUsable(record)
      const made = await storeUpload(ctx.app, record, stored, received.filename, commit)
      // Changed only once nothing can fail, so a refusal leaves the record as it was.
      record.parts['0'] = { etag, size: stored.size, file }
      record.spent = true
      record.mediaId = made.id
      return made
    })
    .catch(async (error: unknown) => {
      await storage.delete(stored)
      throw error
    })
  ctx.app.stats.completed()
  return ok(media)
}
