/**
 * The two ways a store can fail a request, in the server's words. A store's own error (an SDK
 * exception, an s3api "UnknownError", a socket error) never reaches the user: it is kept as
 * `cause` for the log, and the user reads a sentence written here.
 */

/** Seconds a client waits before retrying while the store is down. */
export const STORE_RETRY_AFTER_SECONDS = 2

/**
 * The store did not answer, or answered that it is failing (stopped, 5xx, timeouts, a reset
 * connection). Nothing was stored: the request may be repeated as it was. Answered 503 with
 * `Retry-After`.
 */
export class StoreUnavailableError extends Error {
  readonly status = 503
  readonly headers: Readonly<Record<string, string>> = {
    'Retry-After': String(STORE_RETRY_AFTER_SECONDS),
  }
  constructor(what: string, options?: { cause?: unknown }) {
    super(`The storage is not answering (${what}). Nothing was lost: retry shortly.`, options)
    this.name = 'StoreUnavailableError'
  }
}

/** Why the store refused a request that repeating will not fix. */
export type StoreRefusal =
  /** A completion listed an etag the store does not hold for that part (or no such part). */
  | 'part_mismatch'
  /** A part other than the last is below the store's minimum part size. */
  | 'part_too_small'
  /** The store no longer holds the multipart upload (aborted, completed, swept). */
  | 'upload_gone'
  /** The object is not in the store. */
  | 'not_found'
  /** The store refused the server's own credentials or request: a configuration fault. */
  | 'refused'

const STATUS: Record<StoreRefusal, number> = {
  part_mismatch: 400,
  part_too_small: 400,
  upload_gone: 404,
  not_found: 404,
  // Not the user's fault, and not something a retry mends.
  refused: 500,
}

/** A refusal that the user's request caused (or the configuration): answered with `status`. */
export class StoreRefusedError extends Error {
  readonly status: number
  readonly headers: Readonly<Record<string, string>> = {}
  readonly refusal: StoreRefusal
  constructor(refusal: StoreRefusal, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StoreRefusedError'
    this.refusal = refusal
    this.status = STATUS[refusal]
  }
}

export type StoreError = StoreUnavailableError | StoreRefusedError

export const isStoreError = (error: unknown): error is StoreError =>
  error instanceof StoreUnavailableError || error instanceof StoreRefusedError
