import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assertUsable, openSession } from './access.ts'
import { DRAIN_CAP, streamToFile } from './body.ts'
import type { RequestContext } from './context.ts'
import { HttpError, ok, type Reply } from './http.ts'
import { randomId } from './ids.ts'

export const MAX_PART_INDEX = 100_000

/** A canonical decimal integer: no sign, no leading zeros, no exponent, no spaces. */
const DECIMAL = /^(0|[1-9][0-9]{0,5})$/

/** The part index of an `X-Upload-Index` value, or null when it is not a valid one. */
export function parsePartIndex(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null
  const index = Number(value)
  return index <= MAX_PART_INDEX ? index : null
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`
}

/**
 * `PUT /store/resumable?key=…` with `X-Upload-Index: i`: stores one part.
 *
 * The body streams to a temp file in the session's folder and is renamed to `parts/<i>` only
 * once complete, so a dropped connection never leaves a half part that counts; the rename
 * also makes a re-sent part replace the old one atomically. The etag is a random id plus the
 * size, not a content hash: hashing every byte would cost server CPU that on a small machine
 * comes straight out of the client's throughput (PERFORMANCE.md).
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

  const etag = `${randomId('', 9)}-${received.size}`
  await store
    .update(session.id, async (record) => {
      // Only a completed upload shuts the door on a part already received; an expiry that
      // struck mid-body does not waste the bytes.
      if (record.spent) assertUsable(record)
      await rename(temp, store.partPath(session.id, index))
      record.parts[String(index)] = { etag, size: received.size }
    })
    .catch(async (error: unknown) => {
      await rm(temp, { force: true })
      throw error
    })
  return ok({ index, etag }, { ETag: `"${etag}"` })
}
