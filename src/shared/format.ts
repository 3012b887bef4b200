/*
 * Numbers in words, for the refusal messages and for <Upload />'s progress line alike. Its own
 * module, with nothing else in it, so that the React bundle can use it without pulling in the
 * English refusal messages (which load lazily with the rest of the conditions).
 */

// Decimal multiples, as disks, browsers and operating systems count them: 100e6 bytes is
// "100 MB", and a rule `filesize <= 64e6` reads "64 MB" (binary units would say 61).
const BYTE_UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB']

/** "150 MB", "1.5 KB", "512 bytes"; `exact` gives the byte count. */
export function formatBytes(bytes: number, exact = false): string {
  let size = bytes
  let unit = 0
  // 999.5 KB would round to "1000 KB": past the rounding point it is "1 MB".
  while (!exact && size >= 999.5 && unit < 4) {
    size /= 1000
    unit++
  }
  if (unit === 0) return bytes === 1 ? '1 byte' : `${bytes} bytes`
  return `${Number(size.toPrecision(3))} ${BYTE_UNITS[unit]}`
}

/** "7 min 12 s", "1 h 5 min", "2.5 s"; `exact` keeps fractions of a second (to the ms). */
export function formatDuration(seconds: number, exact = false): string {
  const total = exact || seconds < 10 ? seconds : Math.round(seconds)
  const hours = Math.floor(total / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const rest = Math.round((total - hours * 3600 - minutes * 60) * (exact ? 1000 : 10))
  const parts: string[] = []
  if (hours) parts.push(`${hours} h`)
  if (minutes) parts.push(`${minutes} min`)
  if (rest || parts.length === 0) parts.push(`${rest / (exact ? 1000 : 10)} s`)
  return parts.join(' ')
}
