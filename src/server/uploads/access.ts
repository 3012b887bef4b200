import type { RequestContext } from '../http/context.ts'
import { HttpError } from '../http/reply.ts'
import type { UploadTarget } from '../storage/types.ts'
import type { SessionRecord } from '../types.ts'
import { verifyKey } from './keys.ts'

export const EXPIRED_MESSAGE = 'This upload URL has expired'
export const SPENT_MESSAGE = 'This upload URL was already used to complete an upload'

/** Where a session's bytes go in the store: `sessions/<id>` (the disk's layout since the start). */
export function sessionKey(id: string): string {
  return `sessions/${id}`
}

/** A resumable session's multipart upload in the store. */
export function uploadTarget(session: SessionRecord): UploadTarget {
  return { key: sessionKey(session.id), uploadId: session.uploadId ?? '' }
}

/** Refuses a session whose key can no longer be used (410), with the reason. */
export function assertUsable(session: SessionRecord, now = Date.now()): void {
  if (session.spent) throw new HttpError(410, SPENT_MESSAGE)
  if (session.expiresAt <= now) throw new HttpError(410, EXPIRED_MESSAGE)
}

/**
 * The session the request's `?key=` opens, or the refusal: no key → 400, a key this server did
 * not sign → 403, a signed key with no session → 404, expired or spent → 410, the other kind
 * of upload URL → 400.
 */
export async function openSession(
  ctx: RequestContext,
  kind: 'resumable' | 'single',
  /** A completion opens a spent session too: a repeated completion is answered (§2c). */
  { spent = false }: { spent?: boolean } = {},
): Promise<SessionRecord> {
  const key = ctx.query.get('key')
  if (!key) throw new HttpError(400, 'The upload URL has no key: use the URL POST /uploads gave')
  const verified = verifyKey(ctx.app.options.signingSecret, key)
  if (!verified)
    throw new HttpError(403, 'This upload URL is not valid: its key was not issued here')
  const session = await ctx.app.catalog.getSession(verified.sessionId)
  if (!session) throw new HttpError(404, 'No upload session exists for this upload URL')
  if (spent && session.spent && session.resumable === (kind === 'resumable')) return session
  if (verified.expiresAt <= Date.now()) throw new HttpError(410, EXPIRED_MESSAGE)
  assertUsable(session)
  if (session.resumable !== (kind === 'resumable')) {
    throw new HttpError(
      400,
      session.resumable
        ? 'This key belongs to a resumable upload: use /store/resumable'
        : 'This key belongs to a simple upload: POST the file to /store/single',
    )
  }
  return session
}

/** The session a request's key points to, without judging it (fault matching, control). */
export async function peekSession(
  ctx: RequestContext,
  key: string | null,
): Promise<SessionRecord | null> {
  const verified = key ? verifyKey(ctx.app.options.signingSecret, key) : null
  return verified ? ctx.app.catalog.getSession(verified.sessionId) : null
}
