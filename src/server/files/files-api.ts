import { assertServable, checkFilename, checkFolder } from '../catalog/names.ts'
import { fileObject, storedBytes } from '../catalog/objects.ts'
import { assertApiKey } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { HttpError, ok, type Reply } from '../http/reply.ts'
import { isPlainObject, parseMetadata } from '../http/validate.ts'
import { isoNow } from '../ids.ts'
import type { FileRecord, Metadata } from '../types.ts'

/** The seed's bounds for `GET /files`. */
const DEFAULT_LIMIT = 20
const MAX_LIMIT = 100

function wholeParam(ctx: RequestContext, name: string, fallback: number, max: number): number {
  const text = ctx.query.get(name)
  if (text === null) return fallback
  const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= 1 && value <= max)) {
    throw new HttpError(400, `"${name}" must be a whole number from 1 to ${max}`)
  }
  return value
}

async function recordOf(ctx: RequestContext, id: string): Promise<FileRecord> {
  const record = await ctx.app.catalog.getFile(id)
  if (!record) throw new HttpError(404, `No file has the id ${id}`)
  return record
}

/** `GET /files?page&limit`: newest first, with the paginated envelope. */
export async function listFiles(ctx: RequestContext): Promise<Reply> {
  assertApiKey(ctx)
  const page = wholeParam(ctx, 'page', 1, Number.MAX_SAFE_INTEGER)
  const limit = wholeParam(ctx, 'limit', DEFAULT_LIMIT, MAX_LIMIT)
  const { catalog } = ctx.app
  const total = await catalog.countFiles()
  const pages = Math.ceil(total / limit)
  const files = await catalog.listFiles((page - 1) * limit, limit)
  const link = (n: number) => `/files?page=${n}&limit=${limit}`
  const links: Record<string, string> = { self: link(page) }
  if (page < pages) links.next = link(page + 1)
  // Past the last page, `prev` leads back to the last page there is.
  if (page > 1 && pages > 0) links.prev = link(Math.min(page - 1, pages))
  return {
    kind: 'json',
    status: 200,
    type: 'list',
    data: files.map((record) => fileObject(record, ctx.app.origin())),
    meta: { total, page, limit, pages },
    links,
  }
}

/** `GET /files/{id}`. */
export async function getFile(ctx: RequestContext, id: string): Promise<Reply> {
  assertApiKey(ctx)
  return selfLinked(fileObject(await recordOf(ctx, id), ctx.app.origin()), id)
}

function selfLinked(data: unknown, id: string): Reply {
  return { kind: 'json', status: 200, data, links: { self: `/files/${id}` } }
}

/** A name field of a PATCH: absent keeps it, null clears it, a string is checked. */
function patchedName(
  body: Record<string, unknown>,
  field: 'folder' | 'filename',
  current: string | null,
): string | null {
  if (!(field in body)) return current
  const value = body[field]
  if (value === null) return null
  if (typeof value !== 'string') throw new HttpError(400, `"${field}" must be a string or null`)
  return field === 'folder' ? checkFolder(value) : checkFilename(value)
}

function mergeMetadata(current: Metadata, patch: Metadata): Metadata {
  const merged: Metadata = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    // The seed: "Set a key to null to remove it."
    if (value === null) delete merged[key]
    else merged[key] = value
  }
  return merged
}

/**
 * `PATCH /files/{id}` `{metadata, filename, folder}`: metadata is merged (a null removes the
 * key); a new folder or filename moves the file's URL. A change makes the file the most
 * recently updated, so it wins a URL it shares; a body that changes nothing changes nothing.
 */
export async function patchFile(ctx: RequestContext, id: string): Promise<Reply> {
  assertApiKey(ctx)
  const body = (await readJson(ctx.req, ctx.body(0))) ?? {}
  if (!isPlainObject(body)) throw new HttpError(400, 'The request body must be a JSON object')
  const record = await recordOf(ctx, id)
  const { file } = record
  const folder = patchedName(body, 'folder', file.folder)
  const filename = patchedName(body, 'filename', file.filename)
  assertServable(folder, filename)
  const metadata =
    body.metadata === undefined
      ? file.metadata
      : mergeMetadata(file.metadata, parseMetadata(body.metadata))
  const changed =
    folder !== file.folder ||
    filename !== file.filename ||
    JSON.stringify(metadata) !== JSON.stringify(file.metadata)
  if (changed) {
    const { ownUrl, ...rest } = record
    const renamed = folder !== file.folder || filename !== file.filename
    const updated: FileRecord = {
      ...rest,
      // A name the app sets is on purpose: the file then shares its URL like any other.
      ...(ownUrl && !renamed ? { ownUrl } : {}),
      file: { ...file, folder, filename, metadata, updated: isoNow() },
    }
    await ctx.app.catalog.updateFile(updated)
    return selfLinked(fileObject(updated, ctx.app.origin()), id)
  }
  return selfLinked(fileObject(record, ctx.app.origin()), id)
}

/**
 * `DELETE /files/{id}`: the record goes at once (its URL then serves the file that shared it,
 * if any), then its bytes.
 */
export async function deleteFile(ctx: RequestContext, id: string): Promise<Reply> {
  assertApiKey(ctx)
  const record = await recordOf(ctx, id)
  await ctx.app.catalog.deleteFile(id)
  await ctx.app.storage.delete(storedBytes(record))
  return ok({ message: `File ${id} deleted successfully.` })
}
