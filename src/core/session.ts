import type { ConditionMessages } from '../conditions/refusal-messages.ts'
import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import type { UploadSession, UrlOption } from './options.ts'

export interface ResolvedSession {
  url: string
  conditions: Conditions | undefined
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
  // The session's `expires`, if any, is left alone: it is the server's clock, and the client's
  // may run hours ahead or behind. A resume record lives a fixed time by the client's own clock;
  // a URL that died before its record is refused by the server, and a fresh session takes over.
  return { url: target, conditions: detail?.conditions as Conditions | undefined }
}

/**
 * Checks `conditions` with the conditions module, loaded on first use: an app that sets no
 * conditions never downloads the parser, the media probes or the refusal messages. The module
 * is a leaf with an error type of its own; here, at the boundary, it becomes an `UploadError`.
 */
export async function enforce(
  file: Blob,
  conditions: Conditions | undefined,
  messages: Partial<ConditionMessages> | undefined,
): Promise<void> {
  // A session may answer `conditions: []`: no rules, not a malformed group.
  if (conditions == null || (Array.isArray(conditions) && conditions.length === 0)) return
  const { enforceConditions } = await import('../conditions/index.ts')
  const refused = await enforceConditions(file, conditions, messages)
  if (refused) {
    const { code, message, failures: errors } = refused
    throw new UploadError(code, message, { refusal: errors && { file, errors } })
  }
}
