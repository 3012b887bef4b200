import { timingSafeEqual } from 'node:crypto'
import type { RequestContext } from './context.ts'
import { HttpError } from './reply.ts'

const CHALLENGE = { 'WWW-Authenticate': 'Bearer' }

/** The API routes (`POST /uploads`, `/files…`) want the secret key as a Bearer token. */
export function assertApiKey(ctx: RequestContext): void {
  const header = ctx.req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  if (!match?.[1]) {
    throw new HttpError(401, 'Send your API key as "Authorization: Bearer <key>"', CHALLENGE)
  }
  const given = Buffer.from(match[1])
  const expected = Buffer.from(ctx.app.options.apiKey)
  // Constant time, so the key cannot be guessed a byte at a time from response timings.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'The API key is not valid', CHALLENGE)
  }
}
