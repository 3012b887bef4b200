import type { UploadError } from './errors.ts'

/** Passed in by the caller (see lazy.ts): a static import would pull the core into the chunk. */
type ErrorClass = typeof UploadError

/**
 * The part sizes a store accepts, as the session announces them (docs/PROTOCOL.md §2e): S3 wants
 * every part but the last to be at least 5 MiB, at most 10,000 parts, at most 5 TiB in all.
 * `preferred_size` is a wish, not a limit: the store pays per part (a request, a segment), so
 * the default plan may grow its parts up to it.
 */
export interface PartLimits {
  min_size?: number
  max_size?: number
  max_count?: number
  max_filesize?: number
  preferred_size?: number
}

const MiB = 1024 * 1024

/** A field the session gave as a whole number of bytes (or a count), else `fallback`. */
const whole = (value: unknown, fallback: number): number =>
  Number.isSafeInteger(value) && (value as number) > 0 ? (value as number) : fallback

/**
 * The part size to cut `size` bytes with, inside the session's `limits`. In the lazy chunk
 * (lazy.ts), loaded only when a session announces limits, so a store that takes any size costs
 * the core nothing. `concurrency` is the upload's for the default plan (plan.ts), 0 for a part
 * size the app chose. A part size the app chose and the store cannot take is changed, and the console
 * says so (the developer who chose it reads the console; the upload goes on, as an adjusted part
 * size is no error); the default plan is simply fitted. A file larger than the store takes fails
 * with `invalid_options` before any byte.
 */
export function fitPartSize(
  UploadError: ErrorClass,
  size: number,
  chunkSize: number,
  concurrency: number,
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
  const preferred = whole(limits.preferred_size, 0)
  // The default plan keeps the parts in flight to 1/8 of the file, capped at 16 MiB (plan.ts);
  // a store that pays per part names its own cap instead, so a reload still loses at most 1/8
  // of the file. An app's own chunkSize is its choice: the store's wish does not override it.
  let fitted =
    concurrency && preferred
      ? Math.min(preferred, Math.max(chunkSize, Math.ceil(size / (8 * concurrency))))
      : chunkSize
  fitted = Math.min(max, Math.max(min, fitted))
  // Too many parts: the smallest whole MiB that fits them in the count, still within `max`.
  if (Math.ceil(size / fitted) > count) {
    fitted = Math.min(max, Math.ceil(size / count / MiB) * MiB)
  }
  if (!concurrency && fitted !== chunkSize) {
    console.warn(
      `partwise: chunkSize ${chunkSize} changed to ${fitted} bytes, the part size the upload server's store accepts for this file (min ${min}, max ${max}, at most ${count} parts)`,
    )
  }
  return fitted
}
