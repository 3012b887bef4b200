/** The highest `X-Upload-Index` a part PUT accepts. */
export const MAX_PART_INDEX = 100_000

/** A canonical decimal integer: no sign, no leading zeros, no exponent, no spaces. */
const DECIMAL = /^(0|[1-9][0-9]{0,5})$/

/** The part index of an `X-Upload-Index` value, or null when it is not a valid one. */
export function parsePartIndex(value: string | string[] | undefined): number | null {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return null
  const index = Number(value)
  return index <= MAX_PART_INDEX ? index : null
}
