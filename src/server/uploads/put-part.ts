import { DRAIN_CAP, declaredLength, receiveBody } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ClientGone, HttpError, ok, type Reply } from '../http/reply.ts'
import type { PartRef } from '../storage/types.ts'
import { assertUsable, openSession, uploadTarget } from './access.ts'
import { isPastPartLimit, MAX_PART_INDEX, parsePartIndex, partLimitMessage } from './part-index.ts'
import { addVersion, removeVersions } from './part-versions.ts'

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`
}

/**
 * `PUT /store/resumable?key=…` with `X-Upload-Index: i`: stores one part.
 *
 * The body streams into the store, which holds it only once complete, so a dropped
 * connection never leaves a half part that counts. A body whose client is gone by then is
 * thrown away. A re-sent part becomes the newest version of its index; earlier ones stay
 * addressable by their etags (a few of them, see part-versions.ts), because a late original
 * (a slow proxy, a retry racing it) may land after the copy whose etag the client keeps, and
 * the completion must still find those bytes.
 */
export async function putPart(ctx: RequestContext): Promise<Reply> {
  const session = await openSession(ctx, 'resumable')
  const header = ctx.req.headers['x-upload-index']
  const index = parsePartIndex(header)
  if (index === null && isPastPartLimit(header)) {
    throw new HttpError(400, partLimitMessage(`part ${String(header)} is past the limit`))
  }
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
  const declared = declaredLength(ctx.req)
  if (declared !== null && declared > maxPartSize + DRAIN_CAP) throw tooLarge

  const { storage, catalog } = ctx.app
  const upload = uploadTarget(session)
  const received = await receiveBody(ctx.req, ctx.body(maxPartSize), (body) =>
    storage.writePart(upload, index, body, declared),
  )
  const part: PartRef = { index, ...received.value }
  if (received.tooLarge) {
    await storage.deletePart(upload, part)
    throw tooLarge
  }

  // The client went away while its body sat in the socket buffer (an abort during a delay):
  // nobody will read the etag, and storing the part would only race the re-sent copy.
  if (clientGone(ctx)) {
    await storage.deletePart(upload, part)
    throw new ClientGone()
  }

  const { etag, size, file } = received.value
  const evicted = await catalog
    .updateSession(session.id, (record) => {
      // Only a completed upload shuts the door on a part already received; an expiry that
      // struck mid-body does not waste the bytes.
      if (record.spent) assertUsable(record)
      // Checked again: waiting for the lock behind other parts may have outlasted the client.
      if (clientGone(ctx)) throw new ClientGone()
      return addVersion(record, index, file === undefined ? { etag, size } : { etag, size, file })
    })
    .catch(async (error: unknown) => {
      // This request's own version (its etag is fresh): removing it can hit no other part.
      await storage.deletePart(upload, part)
      throw error
    })
  await removeVersions(storage, upload, index, evicted)
  return ok({ index, etag }, { ETag: `"${etag}"` })
}

/** True when the request can no longer be answered: the client disconnected (or we close). */
function clientGone(ctx: RequestContext): boolean {
  return ctx.signal.aborted || ctx.res.destroyed || ctx.req.socket.destroyed
}
