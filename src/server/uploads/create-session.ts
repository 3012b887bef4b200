import { assertApiKey } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { ok, type Reply } from '../http/reply.ts'
import { parseSessionRequest } from '../http/validate.ts'
import { isoNow, randomId } from '../ids.ts'
import { type PartLimits, partLimitsField } from '../storage/part-limits.ts'
import type { SessionRecord } from '../types.ts'
import { sessionKey } from './access.ts'
import { signKey } from './keys.ts'
import { MAX_PART_INDEX } from './part-index.ts'

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
    // Which part sizes the store takes (docs/PROTOCOL.md §2e), within the server's own
    // limits; absent: any.
    ...(session.resumable && ctx.app.storage.partLimits
      ? {
          part_limits: partLimitsField(
            effectiveLimits(ctx.app.storage.partLimits, ctx.app.options),
          ),
        }
      : {}),
  })
}

/**
 * The store's limits narrowed by the server's (a part's and a file's largest size, the count);
 * the store's preferred part size, when it has one, within what the server then takes.
 */
function effectiveLimits(
  store: PartLimits,
  options: { maxPartSize: number; maxFileSize: number },
): PartLimits {
  const maxSize = Math.min(store.maxSize, options.maxPartSize)
  const { preferredSize } = store
  return {
    minSize: store.minSize,
    maxSize,
    maxCount: Math.min(store.maxCount, MAX_PART_INDEX + 1),
    maxFileSize: Math.min(store.maxFileSize, options.maxFileSize),
    ...(preferredSize === undefined
      ? {}
      : { preferredSize: Math.min(maxSize, Math.max(store.minSize, preferredSize)) }),
  }
}
