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
