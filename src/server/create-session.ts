import { timingSafeEqual } from 'node:crypto'
import { readJson } from './body.ts'
import type { RequestContext } from './context.ts'
import { HttpError, ok, type Reply } from './http.ts'
import { isoNow, randomId } from './ids.ts'
import { signKey } from './keys.ts'
import type { SessionRecord } from './types.ts'
import { parseSessionRequest } from './validate.ts'

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

function assertApiKey(ctx: RequestContext): void {
  const header = ctx.req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  if (!match?.[1]) {
    throw new HttpError(401, 'Send your API key as "Authorization: Bearer <key>"', CHALLENGE)
  }
  const given = Buffer.from(match[1])
  const expected = Buffer.from(ctx.app.options.apiKey)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'The API key is not valid', CHALLENGE)
  }
}

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
  await ctx.app.store.create(session)
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
