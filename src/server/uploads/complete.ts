import { mediaObject } from '../catalog/objects.ts'
import { readJson } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { HttpError, ok, type Reply } from '../http/reply.ts'
import { type PartRef, StorageRefusal } from '../storage/types.ts'
import type { MediaObject, PartVersion, SessionRecord } from '../types.ts'
import { assertUsable, openSession, SPENT_MESSAGE, uploadTarget } from './access.ts'
import { COMPLETION_LIMIT, MAX_PARTS, partLimitMessage } from './part-index.ts'
import { findVersion, removeVersions, versionsOf } from './part-versions.ts'
import { storeUpload } from './store-upload.ts'

interface ListedPart {
  index: number
  etag: string
}

const SHAPE = 'The completion body must be {"parts": [{"index": 0, "etag": "…"}, …]}'

/**
 * Validates the part list: every part once, numbered exactly 0..n-1, n ≥ 1. Returned in
 * index order whatever order the client listed them in.
 */
export function parsePartList(body: unknown): ListedPart[] {
  const parts = (body as { parts?: unknown } | undefined)?.parts
  if (typeof body !== 'object' || body === null || !Array.isArray(parts)) {
    throw new HttpError(400, SHAPE)
  }
  if (parts.length > MAX_PARTS) {
    throw new HttpError(400, partLimitMessage(`this list has ${parts.length}`))
  }
  if (parts.length === 0) {
    throw new HttpError(
      400,
      'The part list is empty: even an empty file is sent as one empty part 0',
    )
  }
  const byIndex = new Map<number, ListedPart>()
  for (const part of parts as unknown[]) {
    const { index, etag } = (part ?? {}) as { index?: unknown; etag?: unknown }
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      throw new HttpError(400, `${SHAPE}: each index must be a whole number from 0`)
    }
    if (typeof etag !== 'string') throw new HttpError(400, `Part ${index} has no etag`)
    if (byIndex.has(index)) throw new HttpError(400, `Part ${index} is listed more than once`)
    byIndex.set(index, { index, etag })
  }
  const ordered: ListedPart[] = []
  for (let index = 0; index < byIndex.size; index++) {
    const part = byIndex.get(index)
    if (!part) throw new HttpError(400, `Part ${index} is missing`)
    ordered.push(part)
  }
  return ordered
}

/** The listed versions, in file order: each etag must be one the server issued and holds. */
function heldParts(session: SessionRecord, listed: readonly ListedPart[]): PartRef[] {
  return listed.map(({ index, etag }) => {
    if (!session.parts[String(index)]) {
      throw new HttpError(400, `Part ${index} was never received by the server`)
    }
    const version = findVersion(session, index, etag)
    if (!version) {
      throw new HttpError(400, `Part ${index}'s etag does not match the part the server holds`)
    }
    return { index, ...version }
  })
}

/**
 * `POST /store/resumable?key=…` with `{parts}`: assembles the file and spends the key.
 * Runs with the session locked (catalog `updateSession`) so no part can be replaced while the
 * file is made. Each listed etag picks its own version of the part, whichever arrived last, so
 * a late original landing after its re-sent copy does not turn the client's etag away.
 */
export async function completeUpload(ctx: RequestContext): Promise<Reply> {
  const session = await openSession(ctx, 'resumable', { spent: true })
  if (/^multipart\//i.test(ctx.req.headers['content-type'] ?? '')) {
    // A client in simple mode handed a resumable URL: say what this URL wants.
    throw new HttpError(
      400,
      'This is a resumable upload URL: PUT the parts with X-Upload-Index, then POST {"parts": […]}',
    )
  }
  const listed = parsePartList(await readJson(ctx.req, ctx.body(0), COMPLETION_LIMIT))
  const { storage, catalog } = ctx.app
  const upload = uploadTarget(session)
  const media = await catalog.updateSession(session.id, async (record, commit) => {
    // Checked with the session locked: a completion racing this one, on this node or
    // another, has either spent the key by now, or waits until this one is done.
    if (record.spent) {
      return { stored: await repeated(ctx, record, listed), unnamed: new Map(), repeat: true }
    }
    assertUsable(record)
    const parts = heldParts(record, listed)
    const filesize = parts.reduce((sum, part) => sum + part.size, 0)
    if (filesize > ctx.app.options.maxFileSize) {
      throw new HttpError(413, `The file is ${filesize} bytes, more than this server accepts`)
    }
    const object = await storage.completeUpload(upload, parts).catch((error: unknown) => {
      if (error instanceof StorageRefusal) throw new HttpError(400, error.message)
      throw error
    })
    const stored = await storeUpload(ctx.app, record, object, null, commit)
    // Changed only once nothing can fail: the record keeps exactly the versions the media's
    // manifest reads; the others (and parts past the listed ones) are deleted below.
    const unnamed = new Map<number, PartVersion[]>()
    for (const [key, part] of Object.entries(record.parts)) {
      const index = Number(key)
      const named = parts[index]
      unnamed.set(
        index,
        versionsOf(part).filter((version) => version.etag !== named?.etag),
      )
      if (named) record.parts[key] = versionOf(named)
      else delete record.parts[key]
    }
    record.spent = true
    record.mediaId = stored.id
    return { stored, unnamed, repeat: false }
  })
  // After the save: a failed completion leaves every version in place for the next attempt.
  await Promise.all(
    [...media.unnamed].map(([index, versions]) => removeVersions(storage, upload, index, versions)),
  )
  if (!media.repeat) ctx.app.stats.completed()
  return ok(media.stored)
}

/**
 * docs/PROTOCOL.md §2c: a completion of an upload that is already complete (its answer was lost, or
 * two completions raced) gets the same media object, when it lists the parts the upload was
 * completed with; any other part list is refused as the spent key it is.
 */
async function repeated(
  ctx: RequestContext,
  record: SessionRecord,
  listed: readonly ListedPart[],
): Promise<MediaObject> {
  const same =
    listed.length === Object.keys(record.parts).length &&
    listed.every(({ index, etag }) => record.parts[String(index)]?.etag === etag)
  const media = same && record.mediaId ? await ctx.app.catalog.getMedia(record.mediaId) : null
  if (!media) throw new HttpError(410, SPENT_MESSAGE)
  const files = await ctx.app.catalog.filesOf(media.id)
  return mediaObject(media, files, ctx.app.origin())
}

/** A part as the record keeps it: its version, without the index the record's key holds. */
function versionOf({ index: _index, ...version }: PartRef): PartVersion {
  return version
}
