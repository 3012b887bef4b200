import { UploadError } from './errors.ts'
import type { TransportResponse } from './transport.ts'
import type { Media } from './types.ts'

/** An UploadError for a response that retrying will not fix, with the server's own words. */
export function httpError(response: TransportResponse, what: string): UploadError {
  const { status, body } = response
  // The `error.message` of an error envelope, when the body is one (anything else throws).
  let said: unknown
  try {
    said = JSON.parse(body).error.message
  } catch {}
  const suffix = typeof said === 'string' && said !== '' ? `: ${said}` : ''
  return new UploadError('http_error', `The server refused ${what} (HTTP ${status})${suffix}`, {
    status,
  })
}

type Data = Record<string, unknown>

/**
 * The reply's `data` object, once `problem` finds nothing wrong with it; otherwise a
 * protocol_error that says what is wrong: not JSON, no `data` object, or `problem`'s answer.
 */
function readData(
  response: TransportResponse,
  what: string,
  problem: (data: Data) => string | false,
): Data {
  let data: unknown
  let wrong: string | false = 'is not JSON'
  try {
    data = JSON.parse(response.body)?.data
    wrong =
      typeof data !== 'object' || !data || Array.isArray(data)
        ? 'has no `data` object'
        : problem(data as Data)
  } catch {}
  if (wrong) {
    throw new UploadError('protocol_error', `The server's reply to ${what} ${wrong}`, {
      status: response.status,
    })
  }
  return data as Data
}

/** Checks a part's reply: it must name the same index and carry an etag; returns the etag. */
export const readPartReceipt = (response: TransportResponse, index: number): string =>
  readData(response, `part ${index}`, (data) =>
    data.index !== index
      ? `names part ${String(data.index)}`
      : (typeof data.etag !== 'string' || data.etag === '') && 'has no etag',
  ).etag as string

/**
 * The completion's (or a simple upload's) media object. A `filesize` other than the file's is a
 * file stored wrong (a truncating middlebox): never a success.
 */
export const readMedia = (response: TransportResponse, what: string, size: number): Media =>
  readData(response, what, ({ id, filesize }) =>
    typeof id !== 'string'
      ? 'has no media id'
      : typeof filesize === 'number' &&
        filesize !== size &&
        `says ${filesize} bytes were stored, not ${size}`,
  ) as Media

/** The completion was sent and its answer lost: the server may have stored the file. */
export const outcomeUnknown = (): UploadError =>
  new UploadError('outcome_unknown', 'The upload may have completed: its answer was lost')
