import { assertServable, safeUploadedName } from '../catalog/names.ts'
import { fileObject, newFileRecord, newMediaRecord } from '../catalog/objects.ts'
import { assertApiKey } from '../http/auth.ts'
import { readJson } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { HttpError, type Reply } from '../http/reply.ts'
import { isPlainObject, optionalString, parseMetadata, parseNames } from '../http/validate.ts'
import { randomId } from '../ids.ts'
import { probeMedia } from '../media/server-probe.ts'
import { storedBlob } from '../media/stored-blob.ts'
import { fetchInto } from './remote.ts'

/** The URL's last path segment, when it makes a valid filename ("it may be derived from the URL"). */
function nameFromUrl(text: string): string | null {
  try {
    const last = new URL(text).pathname.split('/').pop() ?? ''
    return safeUploadedName(decodeURIComponent(last))
  } catch {
    return null
  }
}

function servableOrNull(folder: string | null, filename: string | null): string | null {
  try {
    assertServable(folder, filename)
    return filename
  } catch {
    return null
  }
}

/**
 * `POST /files` `{url, filename, folder, media_id, label, metadata}`: fetches the URL (see
 * remote.ts for what is refused), reads the bytes like an upload's, and answers 201 with the
 * file. Without `media_id` the file is the original of a new media; with one it joins that
 * media as another source, its `label` becoming the file's `ref`. The fetch is always done
 * before answering: `async` is accepted and ignored, as a reference server has no queue.
 */
export async function createFileFromUrl(ctx: RequestContext): Promise<Reply> {
  assertApiKey(ctx)
  const body = await readJson(ctx.req, ctx.body(0))
  if (!isPlainObject(body)) throw new HttpError(400, 'Send {"url": "https://…"} as JSON')
  const url = optionalString(body, 'url')
  if (url === null) throw new HttpError(400, '"url" is required: the file to fetch')
  const names = parseNames(body)
  const metadata = parseMetadata(body.metadata)
  const ref = optionalString(body, 'label')
  const mediaId = optionalString(body, 'media_id')
  const { catalog, options, storage } = ctx.app
  if (mediaId !== null && !(await catalog.getMedia(mediaId))) {
    throw new HttpError(404, `No media has the id ${mediaId}`)
  }
  const filename = names.filename ?? servableOrNull(names.folder, nameFromUrl(url))

  const fetched = await fetchInto(
    url,
    {
      allowPrivate: options.allowPrivateUrls,
      maxBytes: options.maxFetchSize,
      timeoutMs: options.fetchTimeoutMs,
      signal: ctx.app.closing,
    },
    (stream, length) => storage.putObject(`fetched/${randomId()}`, stream, length),
  )
  const stored = fetched.value
  const size = stored.size
  const manifest = [...stored.manifest]
  const probed = await probeMedia(storedBlob(storage, stored), filename)
  const record = newFileRecord({
    mediaId: mediaId ?? randomId('med_'),
    probed,
    filesize: size,
    manifest,
    folder: names.folder,
    filename,
    metadata,
    ref,
    original: mediaId === null,
  })
  await catalog.addFile(
    record,
    mediaId === null ? newMediaRecord(record.file, null, metadata) : null,
  )
  const data = fileObject(record, ctx.app.origin())
  return { kind: 'json', status: 201, data, links: { self: `/files/${record.file.id}` } }
}
