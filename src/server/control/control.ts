import { storedBytes } from '../catalog/objects.ts'
import { declaredLength, readJson, receiveBody } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { HttpError, ok, type Reply } from '../http/reply.ts'
import { hashObject } from '../storage/read-all.ts'
import { keyOfUrl, verifyKey } from '../uploads/keys.ts'
import { parseFaultRules } from './faults.ts'

/**
 * The control API: fault injection and statistics for tests, the demo's network panel and the
 * benchmark. Mounted only with `control: true`, because it lets anyone break uploads.
 */

/** `PUT /__control/faults` `{rules}`: replaces the rules in force. */
export async function putFaults(ctx: RequestContext): Promise<Reply> {
  const rules = parseFaultRules(await readJson(ctx.req, ctx.body(0)))
  ctx.app.faults.replace(rules)
  // Connections opened before the rule would be reused, and a drop on a reused connection is
  // re-sent by Chromium on its own (see http/handler.ts).
  if (ctx.app.faults.drops) ctx.app.closeIdleConnections()
  return ok({ rules: rules.length })
}

/** `DELETE /__control/faults`. */
export async function clearFaults(ctx: RequestContext): Promise<Reply> {
  ctx.app.faults.clear()
  return ok({ rules: 0 })
}

/** `GET /__control/stats`. */
export async function getStats(ctx: RequestContext): Promise<Reply> {
  return ok(ctx.app.stats.snapshot())
}

/** `POST /__control/reset`: clears statistics and faults (sessions and media stay). */
export async function reset(ctx: RequestContext): Promise<Reply> {
  ctx.app.stats.reset()
  ctx.app.faults.clear()
  return ok({ reset: true })
}

/** `GET /__control/media/:id`: sha256 and size of the media's original bytes, in part order. */
export async function getMediaDigest(ctx: RequestContext, id: string): Promise<Reply> {
  const files = await ctx.app.catalog.filesOf(id)
  const original = files.find((record) => record.file.original)
  if (!original) throw new HttpError(404, `No media has the id ${id}`)
  return ok(await hashObject(ctx.app.storage, storedBytes(original)))
}

/** `POST /__control/expire` `{url}`: the upload URL expires now. */
export async function expireUrl(ctx: RequestContext): Promise<Reply> {
  const body = (await readJson(ctx.req, ctx.body(0))) as { url?: unknown } | undefined
  const url = body?.url
  if (typeof url !== 'string')
    throw new HttpError(400, 'Send the upload URL to expire as {"url": "…"}')
  const key = keyOfUrl(url)
  const verified = key ? verifyKey(ctx.app.options.signingSecret, key) : null
  if (!verified)
    throw new HttpError(403, 'This upload URL is not valid: its key was not issued here')
  const session = await ctx.app.catalog.getSession(verified.sessionId)
  if (!session) throw new HttpError(404, 'No upload session exists for this upload URL')
  await ctx.app.catalog.updateSession(session.id, (record) => {
    record.expiresAt = Math.min(record.expiresAt, Date.now())
  })
  return ok({ expired: true })
}

/**
 * `PUT /__bench/raw`: the benchmark's ceiling. Stores the body as a whole file through the
 * same store the parts go to, so the comparison measures the client, not the server. One key
 * for every run: repeated benchmarks must not fill the store.
 */
export async function benchRaw(ctx: RequestContext): Promise<Reply> {
  const { storage, options } = ctx.app
  const received = await receiveBody(ctx.req, ctx.body(options.maxFileSize), (body) =>
    storage.putObject('bench/raw', body, declaredLength(ctx.req)),
  )
  if (received.tooLarge) {
    await storage.delete(received.value)
    throw new HttpError(413, 'The body is larger than this server accepts')
  }
  return ok({ filesize: received.size })
}
