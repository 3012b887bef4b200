import type { ConditionMessages } from '../conditions/refusal-messages.ts'
import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import type { PartLimits } from './part-limits.ts'
import { localStorageStore, type ResumeStore } from './resume-store.ts'
import { type Transport, xhrTransport } from './transport.ts'

const MiB = 1024 * 1024

/**
 * What a `url` function may resolve with: the upload URL, or the session's `data` as it came
 * (docs/PROTOCOL.md §1): its `conditions` are checked, its `part_limits` (§2e) fit the parts.
 */
export type UploadSession =
  | string
  | { url: string; conditions?: Conditions | undefined; part_limits?: PartLimits | undefined }
export type UrlOption = string | ((file: Blob) => Promise<UploadSession> | UploadSession)

export interface UploadOptions extends UploadOptionsBesidesUrl {
  /** The upload URL, or a function (usually a call to your backend) that creates a session. */
  url: UrlOption
}

/**
 * Every option but `url`, for a queue's options to extend with its own `url`: an interface,
 * not `Omit<UploadOptions, 'url'>`, which react-docgen cannot read (Storybook's props table).
 */
export interface UploadOptionsBesidesUrl {
  /**
   * `'resumable'`: parts PUT in parallel, then a completion POST. `'simple'`: one multipart POST.
   * @default 'resumable'
   */
  mode?: 'resumable' | 'simple'
  /**
   * Bytes per part. Larger parts mean fewer requests; smaller ones lose less to a failure or a
   * reload (parts in flight are lost).
   * A session that announces `part_limits` (an S3 store: 5 MiB at least) has the last word:
   * a size outside them is changed, with a console warning that says to what and why.
   * @default 1/(8 × concurrency) of the file, between 256 KiB and 16 MiB (16_777_216, the
   * benchmark's best trade of speed against what a failed part costs): a reload loses at most
   * 1/8 of a file, or 1 MiB of one under 8 MiB; fitted to the session's `part_limits`
   */
  chunkSize?: number
  /** @default 4 parts in flight at once */
  concurrency?: number
  /** Checked before any byte is sent; the session's own conditions apply as well. */
  conditions?: Conditions | undefined
  /** The refusal messages, any subset, e.g. to translate them (see `ConditionMessages`). */
  conditionMessages?: Partial<ConditionMessages> | undefined
  /**
   * Keep a record of acknowledged parts so a reloaded page continues the upload.
   * @default true where `localStorage` exists
   */
  resume?: boolean | ResumeStore
  /**
   * What the resume record is keyed by, with the file's identity. A string `url` is its own
   * endpoint; give a name here when `url` is a function. A `url` function without an endpoint
   * keeps no record: two uploaders on one page (other folders, other conditions) could not tell
   * their records apart, and one would finish the other's upload.
   * @default the `url` string; none for a function (no resume)
   */
  endpoint?: string
  /**
   * Keep a private copy of the file in the browser's Origin Private File System while it uploads,
   * so that a reloaded page can continue it without the user picking the file again (#16,
   * `findInterruptedUploads`). The upload reads from the copy; the copy is deleted on success,
   * cancel, discard or expiry. A full disk, a refused quota, a browser without the private file
   * system or a file over `maxBytes` (bytes) means no copy and a normal upload, never a failure.
   * Needs resume (a record) to be of use.
   * @default false
   */
  keepCopy?: boolean | { maxBytes: number } | undefined
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
  /** Undefined is resumable. */
  mode?: 'resumable' | 'simple' | undefined
  chunkSize: number
  concurrency: number
  conditions: Conditions | undefined
  conditionMessages?: Partial<ConditionMessages> | undefined
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

export const DEFAULT_CHUNK_SIZE = 16 * MiB
export const DEFAULT_CONCURRENCY = 4

/** Every default in one table: an option given as `undefined` falls back to its entry here. */
const DEFAULTS = {
  chunkSize: DEFAULT_CHUNK_SIZE,
  concurrency: DEFAULT_CONCURRENCY,
  maxAttempts: 6,
  retryBaseDelayMs: 500,
  retryMaxDelayMs: 30_000,
  stallTimeoutMs: 30_000,
  sessionTimeoutMs: 30_000,
  transport: xhrTransport,
  random: Math.random,
  now: Date.now,
}

/** Counts that must be whole numbers above 0. */
const COUNTS = ['chunkSize', 'concurrency', 'maxAttempts'] as const

const invalid = (message: string): UploadError => new UploadError('invalid_options', message)

/**
 * Every option defaulted and checked, once. `store`, when given, is used as is: a new
 * `localStorage` store sweeps the whole of `localStorage`, which is not worth redoing for every
 * option change that leaves `resume` alone.
 */
export function resolveOptions(
  options: UploadOptions,
  store?: ResumeStore | null,
): ResolvedOptions {
  const resolved = { ...DEFAULTS } as Record<string, unknown> & ResolvedOptions & UploadOptions
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) resolved[name] = value
  }
  const { url, resume = true } = resolved
  if (typeof url !== 'string' && typeof url !== 'function') {
    throw invalid('url must be a string or a function')
  }
  resolved.headers = { ...options.headers }
  for (const name in resolved.headers) {
    if (/^authorization$/i.test(name)) {
      throw invalid('Do not send an Authorization header: the upload URL is the credential')
    }
  }
  for (const name of COUNTS) {
    const value = resolved[name]
    if (!Number.isInteger(value) || value < 1) {
      throw invalid(`${name} must be a whole number above 0, not ${value}`)
    }
  }
  resolved.endpoint ??= typeof url === 'string' ? url : ''
  resolved.store = !resolved.endpoint
    ? null
    : store !== undefined
      ? store
      : resume === true
        ? localStorageStore(resolved.now)
        : resume || null
  return resolved
}
