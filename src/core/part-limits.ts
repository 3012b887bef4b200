import type { UploadError } from './errors.ts'

/** Passed in by the caller (see lazy.ts): a static import would pull the core into the chunk. */
type ErrorClass = typeof UploadError

/**
 * The part sizes a store accepts, as the session announces them (docs/PROTOCOL.md §2e): S3 wants
 * every part but the last to be at least 5 MiB, at most 10,000 parts, at most 5 TiB in all.
 */
export interface PartLimits {
  min_size?: number
  max_size?: number
  max_count?: number
  max_filesize?: number
}

const MiB = 1024 * 1024

/** A field the session gave as a whole number of bytes (or a count), else `fallback`. */
const whole = (value: unknown, fallback: number): number =>
  Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : fallback

/**
 * The part size to cut `size` bytes with, inside the session's `limits`. In the lazy chunk
 * (lazy.ts), loaded only when a session announces limits, so a store that takes any size costs
 * the core nothing. A part size the app chose (`explicit`) and the store cannot take is changed,
 * and the console says so (the developer who chose it reads the console; the upload goes on, as
 * an adjusted part size is no error); the default plan is simply fitted. A file larger than the
 * store takes fails with `invalid_options` before any byte.
 */
export function fitPartSize(
  UploadError: ErrorClass,
  size: number,
  chunkSize: number,
  explicit: boolean,
  limits: PartLimits,
): number {
  const min = whole(limits.min_size, 1)
  const max = Math.max(min, whole(limits.max_size, Number.POSITIVE_INFINITY))
  const count = whole(limits.max_count, Number.POSITIVE_INFINITY)
  const most = Math.min(whole(limits.max_filesize, Number.POSITIVE_INFINITY), max * count)
  if (size > most) {
    throw new UploadError(
      'invalid_options',
      `This file has ${size} bytes: the upload server's store takes files of at most ${most} bytes`,
    )
  }
  let fitted = Math.min(max, Math.max(min, chunkSize))
  // Too many parts: the smallest whole MiB that fits them in the count, still within `max`.
  if (Math.ceil(size / fitted) > count) {
    fitted = Math.min(max, Math.ceil(size / count / MiB) * MiB)
  }
  if (explicit && fitted !== chunkSize) {
    console.warn(
      `partwise: chunkSize ${chunkSize} changed to ${fitted} bytes, the part size the upload server's store accepts for this file (min ${min}, max ${max}, at most ${count} parts)`,
    )
  }
  return fitted
}
