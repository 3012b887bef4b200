import type { ConditionMessages } from '../conditions/messages.ts'
import type { Conditions } from '../conditions/types.ts'
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
 * Checks `conditions` with the conditions module, loaded on first use: an app that sets no
 * conditions never downloads the parser, the media probes or the refusal messages.
 */
export async function enforce(
  file: Blob,
  conditions: Conditions | undefined,
  messages: Partial<ConditionMessages> | undefined,
): Promise<void> {
  // A session may answer `conditions: []`: no rules, not a malformed group.
  if (conditions == null || (Array.isArray(conditions) && conditions.length === 0)) return
  const { enforceConditions } = await import('../conditions/index.ts')
  await enforceConditions(file, conditions, messages)
}
