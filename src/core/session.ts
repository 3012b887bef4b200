import type { ConditionMessages } from '../conditions/refusal-messages.ts'
import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import type { UploadSession, UrlOption } from './options.ts'
import type { PartLimits } from './part-limits.ts'

/** The session as the `url` option gave it (a string is its `url`); other fields pass through. */
export interface ResolvedSession {
  url: string
  conditions?: Conditions | undefined
  part_limits?: PartLimits | undefined
}

/** The one chunk the core loads on first need (see lazy.ts). */
export const lazy = () => import('./lazy.ts')

/** Turns the `url` option into an upload URL, calling the app's function when it is one. */
export async function resolveSession(
  url: UrlOption,
  file: Blob,
  timeoutMs: number,
): Promise<ResolvedSession> {
  let session: UploadSession | Record<string, unknown> | null | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  let timedOut = false
  try {
    session =
      typeof url === 'string'
        ? url
        : await Promise.race([
            url(file),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => {
                timedOut = true
                reject()
              }, timeoutMs)
            }),
          ])
  } catch (error) {
    throw (await lazy()).sessionError(UploadError, error, timedOut ? timeoutMs : undefined)
  } finally {
    clearTimeout(timer)
  }
  const detail = (typeof session === 'string' ? { url: session } : session) as
    | Record<string, unknown>
    | null
    | undefined
  if (!detail?.url || typeof detail.url !== 'string')
    throw (await lazy()).sessionError(UploadError, null, null)
  // The session's `expires`, if any, is left alone: it is the server's clock, and the client's
  // may run hours ahead or behind. A resume record lives a fixed time by the client's own clock;
  // a URL that died before its record is refused by the server, and a fresh session takes over.
  return detail as unknown as ResolvedSession
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
  // (An object shape has no length.)
  if (!conditions || (conditions as unknown[]).length === 0) return
  return (await lazy()).enforce(UploadError, file, conditions, messages)
}
