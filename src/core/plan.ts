/** One part of a file: bytes `[start, end)`, numbered from 0 in file order. */
export interface Part {
  readonly index: number
  readonly start: number
  readonly end: number
}

/**
 * Splits `size` bytes into parts of `chunkSize`. Only offsets are computed here: the bytes are
 * read later, by `Blob.slice`, when a part is sent, so memory never grows with the file.
 *
 * A 0-byte file is one empty part 0: the protocol's completion must list at least one part,
 * and an empty PUT keeps the server's part bookkeeping the same for every file.
 */
export function planParts(size: number, chunkSize: number): Part[] {
  const parts: Part[] = []
  // `!index`: a 0-byte file still gets its one empty part.
  for (let start = 0, index = 0; start < size || !index; start += chunkSize, index++) {
    parts.push({ index, start, end: Math.min(size, start + chunkSize) })
  }
  return parts
}

export function partSize(part: Part): number {
  return part.end - part.start
}

/** The smallest part the default plan cuts: below it, per-request overhead would dominate. */
const MIN_PART = 256 * 1024

/**
 * The part size when the app gives none: what a reload loses is the parts in flight (nothing is
 * acknowledged before its whole part is stored), so they are kept to 1/8 of the file, or 1 MiB
 * at four in flight for a file under 8 MiB. `max` (16 MiB by default) caps it for large files.
 */
export function defaultPartSize(size: number, concurrency: number, max: number): number {
  return Math.min(max, Math.max(MIN_PART, Math.ceil(size / (8 * concurrency))))
}
