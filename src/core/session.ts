import type { ConditionMessages } from '../conditions/messages.ts'
import type { ConditionFailure, ConditionNode, Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import type { UploadSession, UrlOption } from './types.ts'

export interface ResolvedSession {
  url: string
  conditions: Conditions | undefined
  /** When the upload URL expires (ms since the epoch), if the session said so. */
  expires: number | undefined
}

/** Every way of not getting an upload URL starts with the same words. */
const sessionError = (reason: string, cause?: unknown): UploadError =>
  new UploadError('session_error', `Could not get an upload URL: ${reason}`, { cause })

/** Turns the `url` option into an upload URL, calling the app's function when it is one. */
export async function resolveSession(
  url: UrlOption,
  file: Blob,
  timeoutMs: number,
): Promise<ResolvedSession> {
  let session: UploadSession | Record<string, unknown> | null | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    session =
      typeof url === 'string'
        ? url
        : await Promise.race([
            url(file),
            new Promise<never>((_, reject) => {
              timer = setTimeout(
                () => reject(sessionError(`no answer after ${Math.round(timeoutMs / 1000)} s`)),
                timeoutMs,
              )
            }),
          ])
  } catch (error) {
    if (error instanceof UploadError) throw error
    throw sessionError(error instanceof Error ? error.message : String(error), error)
  } finally {
    clearTimeout(timer)
  }
  const detail = (typeof session === 'string' ? { url: session } : session) as
    | Record<string, unknown>
    | null
    | undefined
  const target = detail?.url
  if (typeof target !== 'string' || target === '') throw sessionError('the session has no url')
  const expires = typeof detail?.expires === 'string' ? Date.parse(detail.expires) : NaN
  return {
    url: target,
    conditions: detail?.conditions as Conditions | undefined,
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
  messages: Partial<ConditionMessages> = {},
): Promise<ConditionFailure[]> {
  const { checkFile } = await import('../conditions/index.ts')
  return checkFile(file, node, { messages })
}

export function conditionsError(file: Blob, errors: readonly ConditionFailure[]): UploadError {
  const message =
    errors.length === 1
      ? (errors[0]?.message ?? 'The file does not meet the upload conditions')
      : `The file does not meet the upload conditions: ${errors.map((e) => e.message).join('; ')}`
  return new UploadError('conditions_failed', message, { refusal: { file, errors } })
}
