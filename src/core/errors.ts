import type { ConditionFailure } from '../conditions/types.ts'

/**
 * Why an upload failed. Stable strings: a UI can switch on them and a translator can key
 * messages by them.
 */
export type UploadErrorCode =
  /** The file broke the upload conditions; `refusal` says which rules and why. */
  | 'conditions_failed'
  /** The conditions themselves are malformed (unknown key, operator, wrong value type…). */
  | 'invalid_conditions'
  /** An option is out of range (a chunk size of 0, a concurrency of -1…). */
  | 'invalid_options'
  /** The server answered with a status that retrying cannot fix (most 4xx), or retries ran out. */
  | 'http_error'
  /** The request never got an answer, after every retry. */
  | 'network_error'
  /**
   * The server answered, but not in the protocol (no etag, wrong index, HTML instead of JSON,
   * a media `filesize` other than the file's).
   */
  | 'protocol_error'
  /**
   * The completion was sent but its answer was lost (network, timeout, 5xx), and sending it
   * again could not tell: the file may be stored. `retry()` sends the completion again (a
   * server answers a repeated completion with the same media), never the file.
   */
  | 'outcome_unknown'
  /** The `url` option failed: it threw, timed out, or gave no URL. */
  | 'session_error'
  /** The browser could not read the file (deleted or changed on disk while uploading). */
  | 'file_unreadable'
  /** `cancel()` was called. */
  | 'cancelled'
  /**
   * Continuing an interrupted upload (#16): the file behind its handle changed on disk since the
   * upload began (name, size or last modification differ). Offer to start over.
   */
  | 'file_changed'
  /** Continuing a `'pick'` item: the file picked is not the one the upload began with. */
  | 'wrong_file'
  /** Continuing from a handle: the browser refused to let the page read the file. */
  | 'permission_denied'
  /** Another tab is continuing this upload (it holds the upload's Web Lock). */
  | 'continuing_elsewhere'
  /**
   * Nothing left to continue: the record expired, finished or was discarded, or its upload URL is
   * dead and `continue()` was given no `url` to start over with.
   */
  | 'expired'

/** The refusal of a file by the upload conditions: data, one entry per failed rule. */
export interface Refusal {
  readonly file: Blob
  readonly errors: readonly ConditionFailure[]
}

export interface UploadErrorOptions {
  status?: number | undefined
  cause?: unknown
  refusal?: Refusal | undefined
}

/** The one error type `partwise` rejects with. */
export class UploadError extends Error {
  override readonly name = 'UploadError'
  // Declared, set by the constructor: no field initialisers shipped.
  declare readonly code: UploadErrorCode
  /** The HTTP status, for failures the server answered. */
  declare readonly status: number | undefined
  /** For `conditions_failed`: every rule the file broke, with a message for each. */
  declare readonly refusal: Refusal | undefined

  constructor(code: UploadErrorCode, message: string, options: UploadErrorOptions = {}) {
    // `cause` is read from `options` by Error itself; `status` and `refusal` are copied as given.
    super(message, options)
    Object.assign(this, options)
    this.code = code
  }
}
