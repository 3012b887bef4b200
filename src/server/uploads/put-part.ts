import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DRAIN_CAP, streamToFile } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ClientGone, HttpError, ok, type Reply } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import { assertUsable, openSession } from './access.ts'
import { MAX_PART_INDEX, parsePartIndex } from './part-index.ts'
import { addVersion, removeVersions } from './part-versions.ts'

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`
}

/**
 * `PUT /store/resumable?key=…` with `X-Upload-Index: i`: stores one part.
 *
 * The body streams to a temp file in the session's folder and is renamed to
 * `parts/<i>.<etag>` only once complete, so a dropped connection never leaves a half part that
 * counts. A body whose client is gone by then is thrown away. A re-sent part becomes the
 * newest version of its index; earlier ones stay addressable by their etags (a few of them,
 * see part-versions.ts), because a late original (a slow proxy, a retry racing it) may land
 * after the copy whose etag the client keeps, and the completion must still find those bytes.
 * The etag is a random id plus the size, not a content hash: hashing every byte would cost
 * server CPU that on a small machine comes straight out of the client's throughput
 * (PERFORMANCE.md).
 */
export async function putPart(ctx: RequestContext): Promise<Reply> {
  const session = await openSession(ctx, 'resumable')
  const index = parsePartIndex(ctx.req.headers['x-upload-index'])
  if (index === null) {
    throw new HttpError(
      400,
      `X-Upload-Index must be a whole number from 0 to ${MAX_PART_INDEX} written in decimal, like 3`,
    )
  }
  const { maxPartSize } = ctx.app.options
  const tooLarge = new HttpError(
    413,
    `Part ${index} is larger than the ${mib(maxPartSize)} a part may hold; send smaller parts`,
  )
  // A declared length far past the limit is refused before reading (the connection closes).
  const declared = Number(ctx.req.headers['content-length'] ?? Number.NaN)
  if (declared > maxPartSize + DRAIN_CAP) throw tooLarge

  const store = ctx.app.store
  const temp = join(store.dir(session.id), `incoming-${randomId()}`)
  const received = await streamToFile(ctx.req, temp, ctx.body(maxPartSize))
  if (received.tooLarge) throw tooLarge

  // The client went away while its body sat in the socket buffer (an abort during a delay):
  // nobody will read the etag, and storing the part would only race the re-sent copy.
  if (clientGone(ctx)) {
    await rm(temp, { force: true })
    throw new ClientGone()
  }

  const etag = `${randomId('', 9)}-${received.size}`
  const file = `${index}.${etag}`
  const path = store.partPath(session.id, index, file)
  const evicted = await store
    .update(session.id, async (record) => {
      // Only a completed upload shuts the door on a part already received; an expiry that
      // struck mid-body does not waste the bytes.
      if (record.spent) assertUsable(record)
      // Checked again: waiting for the lock behind other parts may have outlasted the client.
      if (clientGone(ctx)) throw new ClientGone()
      await rename(temp, path)
      return addVersion(record, index, { etag, size: received.size, file })
    })
    .catch(async (error: unknown) => {
      // `path` is this request's own (its etag is fresh): removing it can hit no other part.
      await Promise.all([rm(temp, { force: true }), rm(path, { force: true })])
      throw error
    })
  await removeVersions(store, session.id, index, evicted)
  return ok({ index, etag }, { ETag: `"${etag}"` })
}

/** True when the request can no longer be answered: the client disconnected (or we close). */
function clientGone(ctx: RequestContext): boolean {
  return ctx.signal.aborted || ctx.res.destroyed || ctx.req.socket.destroyed
}
