/** The highest `X-Upload-Index` a part PUT accepts. */
export const MAX_PART_INDEX = 100_000

/** The most parts one upload may have. */
export const MAX_PARTS = MAX_PART_INDEX + 1

/**
 * Bytes a completion body may spend per listed part: `{"index":100000,"etag":"…"},` with any
 * store's etag (this server's are about 20 characters, S3's 34) and room for indentation.
 */
const BYTES_PER_LISTED_PART = 128

/**
 * The completion body's cap, derived from the part count so the two limits agree: a
 * completion of the most parts the PUT accepts is always read, never refused as too large
 * after the whole file was sent (about 12.2 MiB for 100001 parts).
 */
export const COMPLETION_LIMIT = 64 * 1024 + MAX_PARTS * BYTES_PER_LISTED_PART

/** A canonical decimal integer: no sign, no leading zeros, no exponent, no spaces. */
const DECIMAL = /^(0|[1-9][0-9]{0,14})$/

/** The part index of an `X-Upload-Index` value, or null when it is not a valid one. */
export function parsePartIndex(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null
  const index = Number(value)
  return index <= MAX_PART_INDEX ? index : null
}

/** True for a well-formed index past the limit: a plan of too many parts, not a typo. */
export function isPastPartLimit(value: string | string[] | undefined): boolean {
  return typeof value === 'string' && DECIMAL.test(value) && Number(value) > MAX_PART_INDEX
}

/** Why a part (or a list of parts) past the limit is refused, and what the client can do. */
export function partLimitMessage(what: string): string {
  return `An upload may have at most ${MAX_PARTS} parts (X-Upload-Index 0 to ${MAX_PART_INDEX}): ${what}; send larger parts`
}
