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

function protocolError(what: string, problem: string, status: number): UploadError {
  return new UploadError('protocol_error', `The server's reply to ${what} ${problem}`, { status })
}

function envelopeData(response: TransportResponse, what: string): Record<string, unknown> {
  let data: unknown
  try {
    data = JSON.parse(response.body)?.data
  } catch {
    throw protocolError(what, 'is not JSON', response.status)
  }
  if (typeof data !== 'object' || !data || Array.isArray(data)) {
    throw protocolError(what, 'has no `data` object', response.status)
  }
  return data as Record<string, unknown>
}

/** Checks a part's reply: it must name the same index and carry an etag; returns the etag. */
export function readPartReceipt(response: TransportResponse, index: number): string {
  const what = `part ${index}`
  const data = envelopeData(response, what)
  if (data.index !== index) {
    throw protocolError(what, `names part ${String(data.index)}`, response.status)
  }
  if (typeof data.etag !== 'string' || data.etag === '') {
    throw protocolError(what, 'has no etag', response.status)
  }
  return data.etag
}

/**
 * The completion's (or a simple upload's) media object. A `filesize` other than the file's is a
 * file stored wrong (a truncating middlebox): never a success.
 */
export function readMedia(response: TransportResponse, what: string, size: number): Media {
  const data = envelopeData(response, what)
  const { id, filesize } = data
  if (typeof id !== 'string') throw protocolError(what, 'has no media id', response.status)
  if (typeof filesize === 'number' && filesize !== size) {
    throw protocolError(what, `says ${filesize} bytes were stored, not ${size}`, response.status)
  }
  return data as Media
}

/** The completion was sent and its answer lost: the server may have stored the file. */
export const outcomeUnknown = (): UploadError =>
  new UploadError('outcome_unknown', 'The upload may have completed: its answer was lost')
