import { enforceConditions } from '../conditions/index.ts'
import type { ConditionMessages } from '../conditions/refusal-messages.ts'
import type { Conditions } from '../conditions/types.ts'
import type { UploadError } from './errors.ts'
import type { TransportResponse } from './transport.ts'

export { fitPartSize } from './part-limits.ts'
export { parseRetryAfter } from './retry-after.ts'

/** Passed in by the caller: a static import of it would pull the core into this chunk. */
type ErrorClass = typeof UploadError

/**
 * What the core loads on first need, as one chunk: the conditions, the part limits, and what
 * only failures use (the words of an error the server's answer caused, the reading of a
 * `Retry-After` header: it answered, so the network is there to load this).
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

/** An UploadError for a response that retrying will not fix, with the server's own words. */
export function httpError(
  UploadError: ErrorClass,
  response: TransportResponse,
  what: string,
): UploadError {
  const { status, body } = response
  // The `error.message` of an error envelope, when the body is one (anything else throws).
  let said: unknown
  try {
    said = JSON.parse(body).error.message
  } catch {}
  const suffix = typeof said === 'string' && said ? `: ${said}` : ''
  return new UploadError('http_error', `The server refused ${what} (HTTP ${status})${suffix}`, {
    status,
  })
}

/**
 * Why a 2xx reply to `what` breaks the protocol, once `readReply` (protocol.ts) found that it
 * does: not JSON, no `data` object, or what is wrong with the receipt of part `index` (or, with
 * `index` null, with the media object of a file of `size` bytes).
 */
export function brokenReply(
  UploadError: ErrorClass,
  response: TransportResponse,
  what: string,
  index: number | null,
  size: number,
): UploadError {
  let wrong = 'is not JSON'
  try {
    const data = JSON.parse(response.body)?.data
    wrong =
      typeof data !== 'object' || !data || Array.isArray(data)
        ? 'has no `data` object'
        : index === null
          ? typeof data.id !== 'string'
            ? 'has no media id'
            : `says ${data.filesize} bytes were stored, not ${size}`
          : data.index !== index
            ? `names part ${data.index}`
            : 'has no etag'
  } catch {}
  return new UploadError('protocol_error', `The server's reply to ${what} ${wrong}`, {
    status: response.status,
  })
}

/** The file failed its one-byte read after a failed request: it changed on disk. */
export const unreadableError = (UploadError: ErrorClass, cause: unknown): UploadError =>
  new UploadError(
    'file_unreadable',
    'The file could not be read: it was moved, changed or deleted while uploading',
    { cause },
  )
