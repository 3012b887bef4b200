import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { readJson, streamToFile } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { HttpError, ok, type Reply } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import { hashBytes } from '../storage/disk-bytes.ts'
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
  const original = ctx.app.catalog.filesOf(id).find((record) => record.file.original)
  if (!original) throw new HttpError(404, `No media has the id ${id}`)
  return ok(await hashBytes(ctx.app.options.dataDir, original.manifest))
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
  const session = await ctx.app.store.get(verified.sessionId)
  if (!session) throw new HttpError(404, 'No upload session exists for this upload URL')
  await ctx.app.store.update(session.id, (record) => {
    record.expiresAt = Math.min(record.expiresAt, Date.now())
  })
  return ok({ expired: true })
}

/**
 * `PUT /__bench/raw`: the benchmark's ceiling. Stores the body exactly as a part is stored
 * (stream to a temp file, rename), so the comparison measures the client, not the server.
 */
export async function benchRaw(ctx: RequestContext): Promise<Reply> {
  const dir = join(ctx.app.options.dataDir, 'bench')
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `incoming-${randomId()}`)
  const received = await streamToFile(ctx.req, temp, ctx.body(ctx.app.options.maxFileSize))
  if (received.tooLarge) throw new HttpError(413, 'The body is larger than this server accepts')
  // One file for every run: repeated benchmarks must not fill the disk.
  await rename(temp, join(dir, 'raw')).catch(async (error: unknown) => {
    await rm(temp, { force: true })
    throw error
  })
  return ok({ filesize: received.size })
}
