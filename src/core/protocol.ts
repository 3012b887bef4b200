import { UploadError } from './errors.ts'
import type { TransportResponse } from './transport.ts'
import type { Media } from './types.ts'

/** What the parts and the completion send to the upload URL (PROTOCOL.md §2b). */
export interface PartReceipt {
  index: number
  etag: string
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return undefined
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The `error.message` of an error envelope, when the body is one. */
export function serverMessage(body: string): string | null {
  const parsed = parseJson(body)
  if (!isObject(parsed)) return null
  const error = parsed.error
  if (isObject(error) && typeof error.message === 'string' && error.message !== '') {
    return error.message
  }
  return null
}

/** An UploadError for a response that retrying will not fix, with the server's own words. */
export function httpError(response: TransportResponse, what: string): UploadError {
  const said = serverMessage(response.body)
  const message = said
    ? `The server refused ${what} (HTTP ${response.status}): ${said}`
    : `The server refused ${what} (HTTP ${response.status})`
  return new UploadError('http_error', message, { status: response.status })
}

function protocolError(what: string, problem: string, status: number): UploadError {
  return new UploadError('protocol_error', `The server's reply to ${what} ${problem}`, { status })
}

function envelopeData(response: TransportResponse, what: string): Record<string, unknown> {
  const parsed = parseJson(response.body)
  if (parsed === undefined) throw protocolError(what, 'is not JSON', response.status)
  if (!isObject(parsed) || !isObject(parsed.data)) {
    throw protocolError(what, 'has no `data` object', response.status)
  }
  return parsed.data
}

/** Checks a part's reply: it must name the same index and carry an etag. */
export function readPartReceipt(response: TransportResponse, index: number): PartReceipt {
  const what = `part ${index}`
  const data = envelopeData(response, what)
  if (data.index !== index) {
    throw protocolError(what, `names part ${String(data.index)}`, response.status)
  }
  if (typeof data.etag !== 'string' || data.etag === '') {
    throw protocolError(what, 'has no etag', response.status)
  }
  return { index, etag: data.etag }
}

/** The completion's (or a simple upload's) media object. */
export function readMedia(response: TransportResponse, what: string): Media {
  const data = envelopeData(response, what)
  if (typeof data.id !== 'string') throw protocolError(what, 'has no media id', response.status)
  return data as Media
}
