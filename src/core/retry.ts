/**
 * Whether a failed attempt is worth another one after a backoff: network errors (status 0),
 * 408, 429 and 5xx. Retrying cannot help any other 4xx, nor anything the protocol does not allow.
 */
export function isRetryable(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || (status >= 500 && status <= 599)
}

/** The options a backoff follows (an upload's own, see options.ts). */
export interface BackoffPolicy {
  /** First delay's cap, in milliseconds. */
  retryBaseDelayMs: number
  /** No delay is longer than this, in milliseconds. */
  retryMaxDelayMs: number
  /** 0 to 1, for the jitter. */
  random: () => number
}

/**
 * Exponential backoff with "equal jitter": a uniformly random delay in `[c/2, c)`, where
 * `c = min(max, base·2^n)`. The random half spreads the retries of parts that failed together
 * (one 503 burst hits every part in flight) so they do not come back as a burst of their own;
 * the fixed half guarantees the attempts cover a window: at the defaults (500 ms, 6 attempts)
 * at least 7.75 s, so a server that restarts in a few seconds is waited out. Full jitter
 * (`[0, c)`) could spend all six attempts inside a 2.5 s outage about one time in 65.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  const ceiling = Math.min(
    policy.retryMaxDelayMs,
    policy.retryBaseDelayMs * 2 ** Math.max(0, attempt),
  )
  return Math.floor((ceiling * (1 + policy.random())) / 2)
}

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
