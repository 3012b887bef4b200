import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { localStorageStore, type ResumeStore } from './resume-store.ts'
import type { Transport } from './transport.ts'
import { xhrTransport } from './transport.ts'
import type { UrlOption } from './types.ts'

const MiB = 1024 * 1024

export interface UploadOptions {
  /** The upload URL, or a function (usually a call to your backend) that creates a session. */
  url: UrlOption
  /**
   * `'resumable'`: parts PUT in parallel, then a completion POST. `'simple'`: one multipart POST.
   * @default 'resumable'
   */
  mode?: 'resumable' | 'simple'
  /**
   * Bytes per part. Larger parts mean fewer requests; smaller ones lose less to a failure.
   * @default 8 MiB (8_388_608)
   */
  chunkSize?: number
  /** @default 4 parts in flight at once */
  concurrency?: number
  /** Checked before any byte is sent; the session's own conditions apply as well. */
  conditions?: Conditions | undefined
  /**
   * Keep a record of acknowledged parts so a reloaded page continues the upload.
   * @default true where `localStorage` exists
   */
  resume?: boolean | ResumeStore
  /**
   * What the resume record is keyed by, with the file's identity. A string `url` is its own
   * endpoint; give a name here when `url` is a function.
   * @default the `url` string, or `'default'`
   */
  endpoint?: string
  /** @default 6 attempts per part (the first one included) */
  maxAttempts?: number
  /** @default 500 ms: the cap of the first retry's random delay */
  retryBaseDelayMs?: number
  /** @default 30_000 ms */
  retryMaxDelayMs?: number
  /** Abort and retry a request that shows no progress for this long. @default 30_000 ms */
  stallTimeoutMs?: number
  /** Give up on a `url` function that has not answered after this long. @default 30_000 ms */
  sessionTimeoutMs?: number
  /** Extra headers for every request to the upload URL (never put an API key here). */
  headers?: Record<string, string>
  /** @internal test seams: the HTTP transport, randomness for jitter, the clock. */
  transport?: Transport
  random?: () => number
  now?: () => number
}

export interface ResolvedOptions {
  url: UrlOption
  mode: 'resumable' | 'simple'
  chunkSize: number
  concurrency: number
  conditions: Conditions | undefined
  store: ResumeStore | null
  endpoint: string
  maxAttempts: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
  stallTimeoutMs: number
  sessionTimeoutMs: number
  headers: Record<string, string>
  transport: Transport
  random: () => number
  now: () => number
}

export const DEFAULT_CHUNK_SIZE = 8 * MiB
export const DEFAULT_CONCURRENCY = 4

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 1) {
    throw new UploadError('invalid_options', `${name} must be a whole number above 0, not ${value}`)
  }
  return value
}

/** Every option defaulted and checked, once. */
export function resolveOptions(options: UploadOptions): ResolvedOptions {
  if (typeof options.url !== 'string' && typeof options.url !== 'function') {
    throw new UploadError('invalid_options', 'url must be a string or a function')
  }
  const now = options.now ?? Date.now
  let store: ResumeStore | null = null
  if (options.resume === undefined || options.resume === true) store = localStorageStore(now)
  else if (options.resume !== false) store = options.resume
  const headers = { ...options.headers }
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === 'authorization') {
      throw new UploadError(
        'invalid_options',
        'Do not send an Authorization header to an upload URL: the URL is the credential, and an API key must stay on your server',
      )
    }
  }
  return {
    url: options.url,
    mode: options.mode ?? 'resumable',
    chunkSize: positiveInteger('chunkSize', options.chunkSize, DEFAULT_CHUNK_SIZE),
    concurrency: positiveInteger('concurrency', options.concurrency, DEFAULT_CONCURRENCY),
    conditions: options.conditions,
    store,
    endpoint: options.endpoint ?? (typeof options.url === 'string' ? options.url : 'default'),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts, 6),
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    retryMaxDelayMs: options.retryMaxDelayMs ?? 30_000,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
    headers,
    transport: options.transport ?? xhrTransport,
    random: options.random ?? Math.random,
    now,
  }
}
