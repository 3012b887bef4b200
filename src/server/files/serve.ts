import { keyOfRequestPath } from '../catalog/names.ts'
import { storedBytes } from '../catalog/objects.ts'
import type { RequestContext } from '../http/context.ts'
import { etagMatches, parseRange } from '../http/range.ts'
import { HttpError, type Reply } from '../http/reply.ts'
import type { FileRecord } from '../types.ts'

/**
 * Types a browser shows without running anything of the file's in the server's origin.
 * HTML, SVG, XML and every unknown type go out as a download instead: an upload must never
 * become a page that runs script here.
 */
const INLINE =
  /^(image\/(png|jpeg|gif|webp|avif|heic|heif|bmp|x-icon|tiff)|video\/[\w.+-]+|audio\/[\w.+-]+|text\/plain)$/

/** A filename in `Content-Disposition`, RFC 6266 / 8187 style, safe whatever its characters. */
function disposition(kind: 'inline' | 'attachment', filename: string | null): string {
  if (filename === null) return kind
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}

/**
 * A stored file's bytes: its type (or a download when the type is not safe to show), one
 * `Range` (a video seeks), and revalidation by `ETag`. A file's bytes never change, so its id
 * is a strong validator. `Cache-Control: no-cache` (store, but ask each time) because the file
 * a URL names may change: a newer file takes the URL, a delete hands it back to an older one.
 * No `Last-Modified` for the same reason: after a delete the URL's date would go backwards,
 * and `If-Modified-Since` would keep the deleted file alive in caches.
 */
export function serveFile(ctx: RequestContext, record: FileRecord): Reply {
  const { file } = record
  const size = file.filesize
  const etag = `"${file.id}"`
  const inline = INLINE.test(file.type)
  const headers: Record<string, string> = {
    ETag: etag,
    'Cache-Control': 'public, no-cache',
    'Accept-Ranges': 'bytes',
    'X-Content-Type-Options': 'nosniff',
    // Defence in depth should a type above ever be rendered as a document after all.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    'Content-Type': inline ? file.type : 'application/octet-stream',
    'Content-Disposition': disposition(inline ? 'inline' : 'attachment', file.filename),
  }
  if (etagMatches(ctx.req.headers['if-none-match'], etag)) {
    return { kind: 'empty', status: 304, headers }
  }
  const ifRange = ctx.req.headers['if-range']
  // A Range under an If-Range that no longer names these bytes gets the whole new file.
  const rangeHeader = ifRange === undefined || ifRange === etag ? ctx.req.headers.range : undefined
  const range = parseRange(rangeHeader, size)
  if (range.kind === 'unsatisfiable') {
    throw new HttpError(416, `The file is ${size} bytes; the range asked for lies past its end`, {
      'Content-Range': `bytes */${size}`,
    })
  }
  const head = ctx.method === 'HEAD'
  if (range.kind === 'part') {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`
    headers['Content-Length'] = String(range.end - range.start + 1)
    if (head) return { kind: 'empty', status: 206, headers }
    const stream = ctx.app.storage.read(storedBytes(record), range)
    return { kind: 'stream', status: 206, stream, headers }
  }
  headers['Content-Length'] = String(size)
  if (head) return { kind: 'empty', status: 200, headers }
  return {
    kind: 'stream',
    status: 200,
    stream: ctx.app.storage.read(storedBytes(record)),
    headers,
  }
}

/** `GET|HEAD /{folder}/{filename}` or `/{file id}`: the file that URL names now. */
export async function serveByUrl(ctx: RequestContext): Promise<Reply> {
  const key = keyOfRequestPath(ctx.path)
  const record = key === null ? null : await ctx.app.catalog.fileAt(key)
  if (!record) throw new HttpError(404, `Nothing is served at ${ctx.path}`)
  return serveFile(ctx, record)
}

/** `GET|HEAD /{media id}/original`: the upload guide's source URL. */
export async function serveOriginal(ctx: RequestContext, mediaId: string): Promise<Reply> {
  const files = await ctx.app.catalog.filesOf(mediaId)
  const original = files.find((record) => record.file.original)
  if (!original) throw new HttpError(404, `No media has the id ${mediaId}`)
  return serveFile(ctx, original)
}
