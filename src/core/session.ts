import type { ConditionFailure, ConditionNode, Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import type { UploadSession, UrlOption } from './types.ts'

export interface ResolvedSession {
  url: string
  conditions: Conditions | undefined
  /** When the upload URL expires (ms since the epoch), if the session said so. */
  expires: number | undefined
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new UploadError(
            'session_error',
            `Could not get an upload URL: no answer after ${Math.round(ms / 1000)} s`,
          ),
        ),
      ms,
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}

/** Turns the `url` option into an upload URL, calling the app's function when it is one. */
export async function resolveSession(
  url: UrlOption,
  file: Blob,
  timeoutMs: number,
): Promise<ResolvedSession> {
  let session: UploadSession
  try {
    session =
      typeof url === 'string' ? url : await withTimeout(Promise.resolve(url(file)), timeoutMs)
  } catch (error) {
    if (error instanceof UploadError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new UploadError('session_error', `Could not get an upload URL: ${reason}`, {
      cause: error,
    })
  }
  const target = typeof session === 'string' ? session : session?.url
  if (typeof target !== 'string' || target === '') {
    throw new UploadError('session_error', 'Could not get an upload URL: the session has no url')
  }
  const detail = typeof session === 'string' ? undefined : (session as Record<string, unknown>)
  const expires = detail && typeof detail.expires === 'string' ? Date.parse(detail.expires) : NaN
  return {
    url: target,
    conditions: typeof session === 'string' ? undefined : session.conditions,
    expires: Number.isNaN(expires) ? undefined : expires,
  }
}

/**
 * Parses conditions with the conditions module, loaded on first use: an app that sets no
 * conditions never downloads the parser or the media probes.
 */
export async function parseAll(
  sources: ReadonlyArray<Conditions | undefined>,
): Promise<ConditionNode | null> {
  // A session may answer `conditions: []`: no rules, not a malformed group.
  const present = sources.filter(
    (c): c is Conditions => c !== undefined && c !== null && !(Array.isArray(c) && c.length === 0),
  )
  if (present.length === 0) return null
  const { parseConditions, combineConditions } = await import('../conditions/index.ts')
  return combineConditions(present.map((c) => parseConditions(c)))
}

/** The file's failures against `node`; an empty list means it may be sent. */
export async function checkConditions(
  file: Blob,
  node: ConditionNode,
): Promise<ConditionFailure[]> {
  const { checkFile } = await import('../conditions/index.ts')
  return checkFile(file, node)
}

export function conditionsError(file: Blob, errors: readonly ConditionFailure[]): UploadError {
  const message =
    errors.length === 1
      ? (errors[0]?.message ?? 'The file does not meet the upload conditions')
      : `The file does not meet the upload conditions: ${errors.map((e) => e.message).join('; ')}`
  return new UploadError('conditions_failed', message, { refusal: { file, errors } })
}
