import type { Conditions } from '../../conditions/types.ts'
import type { Metadata } from '../protocol-types.ts'

export interface CreateUploadSessionOptions {
  /** The secret API key. Call this from your backend only; never ship the key to a browser. */
  apiKey: string
  /** The API's base URL, e.g. `https://api.example.com` or the reference server's `url`. */
  baseUrl: string
  /** @default false (a simple, one-request upload URL) */
  resumable?: boolean
  filename?: string
  folder?: string
  alias?: string
  metadata?: Metadata
  /** Either conditions shape from docs/PROTOCOL.md §3; the server enforces them at completion. */
  conditions?: Conditions
  /** Seconds the upload URL lives, 10–3600. @default the server's (300) */
  timeout?: number
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

export interface UploadSessionResult {
  /** The one-time upload URL to hand to the browser. */
  url: string
  /** The session's conditions, for the browser to check before it sends a byte. */
  conditions?: Conditions
  folder?: string
  filename?: string
  metadata?: Record<string, unknown>
  /** When the URL stops working (ISO 8601). */
  expires?: string
  /**
   * The part sizes the server's store accepts (docs/PROTOCOL.md §2e), when it has limits (S3).
   * Hand the whole result to the browser: `createUpload` plans its parts inside them.
   */
  part_limits?: PartLimitsField
}

/** docs/PROTOCOL.md §2e: bytes, or a count; every field optional. */
export interface PartLimitsField {
  min_size?: number
  max_size?: number
  max_count?: number
  max_filesize?: number
  /** The part size the store prefers (a wish, not a limit). */
  preferred_size?: number
}

/**
 * `createUploadSession` failed. `status` is the HTTP status (0 when no answer came), `message`
 * the API's own sentence from the error envelope, and `requestId` the envelope's `meta.id`,
 * which is what to quote when asking why.
 */
export class UploadSessionError extends Error {
  readonly status: number
  readonly requestId: string | null
  constructor(
    status: number,
    message: string,
    options?: { cause?: unknown; requestId?: string | null },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'UploadSessionError'
    this.status = status
    this.requestId = options?.requestId ?? null
  }
}

interface Envelope {
  meta?: { id?: unknown }
  data?: Record<string, unknown>
  error?: { message?: unknown }
}

const BODY_FIELDS = [
  'resumable',
  'filename',
  'folder',
  'alias',
  'metadata',
  'conditions',
  'timeout',
] as const

/**
 * Asks the upload API for an upload URL (`POST {baseUrl}/uploads`), for the app's backend to
 * hand to the browser. Rejects with an `UploadSessionError` carrying the status and the
 * server's own message.
 */
export async function createUploadSession(
  options: CreateUploadSessionOptions,
): Promise<UploadSessionResult> {
  const body: Record<string, unknown> = {}
  for (const field of BODY_FIELDS) {
    if (options[field] !== undefined) body[field] = options[field]
  }
  const doFetch = options.fetch ?? globalThis.fetch
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/uploads`
  let response: Response
  try {
    response = await doFetch(endpoint, {
      method: 'POST',
      headers: { Authorization: `Bearer ${options.apiKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })
  } catch (cause) {
    throw new UploadSessionError(0, `Could not reach the upload API at ${endpoint}`, { cause })
  }
  let envelope: Envelope
  try {
    envelope = ((await response.json()) ?? {}) as Envelope
  } catch (cause) {
    throw new UploadSessionError(
      response.status,
      `The upload API answered ${response.status} without a JSON envelope`,
      { cause },
    )
  }
  const requestId = typeof envelope.meta?.id === 'string' ? envelope.meta.id : null
  if (!response.ok) {
    const message = envelope.error?.message
    throw new UploadSessionError(
      response.status,
      typeof message === 'string' ? message : `The upload API answered ${response.status}`,
      { requestId },
    )
  }
  const data = envelope.data
  if (typeof data?.url !== 'string') {
    throw new UploadSessionError(response.status, 'The upload API answered without an upload URL', {
      requestId,
    })
  }
  // Fields the server sends as null are left out, as the result type promises strings.
  const result: UploadSessionResult = { url: data.url }
  // The server validated them with the same parser the browser uses.
  if (typeof data.conditions === 'object' && data.conditions !== null) {
    result.conditions = data.conditions as Conditions
  }
  if (typeof data.folder === 'string') result.folder = data.folder
  if (typeof data.filename === 'string') result.filename = data.filename
  if (typeof data.metadata === 'object' && data.metadata !== null) {
    result.metadata = data.metadata as Record<string, unknown>
  }
  if (typeof data.expires === 'string') result.expires = data.expires
  if (typeof data.part_limits === 'object' && data.part_limits !== null) {
    result.part_limits = data.part_limits as PartLimitsField
  }
  return result
}
