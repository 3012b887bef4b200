// Read only when an answer carries the header: in the lazy chunk (lazy.ts), not the core.

/** Longest `Retry-After` the engine will wait: a server asking for an hour gets this instead. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds
 * to wait; 0 when absent, unreadable or in the past, as the caller waits the larger of this and
 * its backoff. Cross-origin, the header is hidden unless the server lists it in
 * `Access-Control-Expose-Headers`; the backoff decides then.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number {
  const trimmed = value?.trim() ?? ''
  // An HTTP-date always names a day or month; a bare "-5" would otherwise parse as a year.
  const ms = /^\d+$/.test(trimmed)
    ? +trimmed * 1000
    : /[a-z]/i.test(trimmed)
      ? Date.parse(trimmed) - now
      : 0
  // `ms > 0` is false for NaN, an unreadable date.
  return Math.min(MAX_RETRY_AFTER_MS, ms > 0 ? ms : 0)
}
