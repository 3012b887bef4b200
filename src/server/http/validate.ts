import { parseConditions } from '../../conditions/parse.ts'
import type { Conditions } from '../../conditions/types.ts'
import { assertServable, checkFilename, checkFolder } from '../catalog/names.ts'
import type { Metadata } from '../types.ts'
import { HttpError } from './reply.ts'

/** The fields of `POST /uploads` the server acts on, validated. */
export interface SessionRequest {
  resumable: boolean
  filename: string | null
  folder: string | null
  alias: string | null
  metadata: Metadata
  /** An object or an array, stored as given (the shared parser accepted it); null when none. */
  conditions: Conditions | null
  /** Seconds, 10–3600; null when the server's default applies. */
  timeout: number | null
}

const MIN_TIMEOUT = 10
const MAX_TIMEOUT = 3600

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') throw new HttpError(400, `"${field}" must be a string`)
  return value
}

export function parseMetadata(value: unknown): Metadata {
  if (value === undefined || value === null) return {}
  if (!isPlainObject(value)) throw new HttpError(400, '"metadata" must be an object')
  const metadata: Metadata = {}
  for (const [key, entry] of Object.entries(value)) {
    // The seed: "Valid values are strings, numbers, booleans, and null. Nested objects are not supported."
    const flat =
      entry === null ||
      typeof entry === 'string' ||
      typeof entry === 'boolean' ||
      (typeof entry === 'number' && Number.isFinite(entry))
    if (!flat) {
      throw new HttpError(400, `metadata.${key} must be a string, number, boolean or null`)
    }
    metadata[key] = entry
  }
  return metadata
}

function parseTimeout(value: unknown): number | null {
  if (value === undefined || value === null) return null
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < MIN_TIMEOUT ||
    value > MAX_TIMEOUT
  ) {
    throw new HttpError(
      400,
      `"timeout" must be a whole number of seconds from ${MIN_TIMEOUT} to ${MAX_TIMEOUT}`,
    )
  }
  return value
}

/** `folder` and `filename`, checked to name a URL the server can serve (catalog/names.ts). */
export function parseNames(body: Record<string, unknown>): {
  folder: string | null
  filename: string | null
} {
  const folderText = optionalString(body, 'folder')
  const filenameText = optionalString(body, 'filename')
  const folder = folderText === null ? null : checkFolder(folderText)
  const filename = filenameText === null ? null : checkFilename(filenameText)
  assertServable(folder, filename)
  return { folder, filename }
}

/** Validates the (optional) JSON body of `POST /uploads`; unknown fields are ignored. */
export function parseSessionRequest(body: unknown): SessionRequest {
  if (body === undefined) body = {}
  if (!isPlainObject(body)) throw new HttpError(400, 'The request body must be a JSON object')
  const resumable = body.resumable ?? false
  if (typeof resumable !== 'boolean') throw new HttpError(400, '"resumable" must be true or false')
  const given = body.conditions ?? null
  if (given !== null) {
    // The same parser as the browser's: a rule the client would reject never gets a session.
    try {
      parseConditions(given)
    } catch (error) {
      throw new HttpError(400, error instanceof Error ? error.message : 'Malformed "conditions"')
    }
  }
  const { folder, filename } = parseNames(body)
  return {
    resumable,
    filename,
    folder,
    alias: optionalString(body, 'alias'),
    metadata: parseMetadata(body.metadata),
    // parseConditions accepted it, so it has one of the two shapes.
    conditions: given as Conditions | null,
    timeout: parseTimeout(body.timeout),
  }
}
