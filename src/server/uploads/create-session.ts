import { assertApiKey } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ok, type Reply } from '../http/reply.ts'
import { parseSessionRequest } from '../http/validate.ts'
import { isoNow, randomId } from '../ids.ts'
import type { SessionRecord } from '../types.ts'
import { sessionKey } from './access.ts'
import { signKey } from './keys.ts'

/** `POST /uploads`: the backend asks for a short-lived, one-time upload URL. */
export async function createSession(ctx: RequestContext): Promise<Reply> {
  assertApiKey(ctx)
  const request = parseSessionRequest(await readJson(ctx.req, ctx.body(0)))
  const now = Date.now()
  const expiresAt = now + (request.timeout ?? ctx.app.options.sessionTimeout) * 1000
  const session: SessionRecord = {
    id: randomId('ses_', 16),
    resumable: request.resumable,
    filename: request.filename,
    folder: request.folder,
    alias: request.alias,
    metadata: request.metadata,
    conditions: request.conditions,
    created: isoNow(now),
    expiresAt,
    spent: false,
    mediaId: null,
    parts: {},
  }
  if (session.resumable) {
    const uploadId = await ctx.app.storage.beginUpload(sessionKey(session.id))
    if (uploadId !== '') session.uploadId = uploadId
  }
  await ctx.app.catalog.createSession(session)
  const key = signKey(ctx.app.options.signingSecret, session.id, expiresAt)
  const kind = session.resumable ? 'resumable' : 'single'
  return ok({
    url: `${ctx.app.origin()}/store/${kind}?key=${key}`,
    ...(session.conditions === null ? {} : { conditions: session.conditions }),
    folder: session.folder,
    filename: session.filename,
    metadata: session.metadata,
    expires: isoNow(expiresAt),
  })
}
