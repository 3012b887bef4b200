/*
 * The same words as the conditions' messages ("150 MB", "7 min 12 s"), written again here on
 * purpose: importing them from src/conditions/messages.ts would pull every English refusal
 * message into the eagerly loaded bundle, where the core otherwise loads conditions lazily.
 */
const UNITS = ['bytes', 'KB', 'MB', 'GB', 'TB']

/** "150 MB", "1.5 KB", "512 bytes" (binary multiples, as the upload guide writes them). */
export function formatBytes(bytes: number): string {
  let size = bytes
  let unit = 0
  while (size >= 1024 && unit < UNITS.length - 1) {
    size /= 1024
    unit++
  }
  return unit === 0 ? `${Math.round(bytes)} bytes` : `${Number(size.toPrecision(3))} ${UNITS[unit]}`
}

/** "45 s", "7 min 12 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds))
  const m = Math.floor(s / 60)
  if (m === 0) return `${s} s`
  if (m < 60) return `${m} min ${s % 60} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}
