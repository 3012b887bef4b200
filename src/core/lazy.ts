import { enforceConditions } from '../conditions/index.ts'
import type { ConditionMessages } from '../conditions/refusal-messages.ts'
import type { Conditions } from '../conditions/types.ts'
import type { UploadError } from './errors.ts'

export { fitPartSize } from './part-limits.ts'

/** Passed in by the caller: a static import of it would pull the core into this chunk. */
type ErrorClass = typeof UploadError

/**
 * What the core loads on first need, as one chunk: the conditions, and what only failures use.
 * Every caller is already waiting on something (a session, a failed request), so a page that
 * sets no conditions and meets no failure never downloads any of it, and the happy path pays
 * nothing.
 */

/** Checks `conditions`; a refusal becomes an `UploadError` here, at the module's boundary. */
export async function enforce(
  UploadError: ErrorClass,
  file: Blob,
  conditions: Conditions,
  messages: Partial<ConditionMessages> | undefined,
): Promise<void> {
  const refused = await enforceConditions(file, conditions, messages)
  if (refused) {
    const { code, message, failures: errors } = refused
    throw new UploadError(code, message, { refusal: errors && { file, errors } })
  }
}

/**
 * Why no upload URL came: `cause`, what the `url` function threw; a number, the timeout (ms)
 * it did not answer within; null, a session without a url. Every one starts with the same words.
 */
export function sessionError(
  UploadError: ErrorClass,
  cause: unknown,
  timeoutMs?: number | null,
): UploadError {
  if (cause instanceof UploadError) return cause
  const reason =
    timeoutMs === null
      ? 'the session has no url'
      : timeoutMs !== undefined
        ? `no answer after ${Math.round(timeoutMs / 1000)} s`
        : cause instanceof Error
          ? cause.message
          : String(cause)
  return new UploadError(
    'session_error',
    `Could not get an upload URL: ${reason}`,
    timeoutMs === undefined ? { cause } : {},
  )
}

/** The file failed its one-byte read after a failed request: it changed on disk. */
export const unreadableError = (UploadError: ErrorClass, cause: unknown): UploadError =>
  new UploadError(
    'file_unreadable',
    'The file could not be read: it was moved, changed or deleted while uploading',
    { cause },
  )
