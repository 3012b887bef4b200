import { isoNow, randomId } from '../ids.ts'
import type { Probed } from '../media/server-probe.ts'
import type { StoredObject } from '../storage/types.ts'
import type {
  FileObject,
  FileRecord,
  ManifestPart,
  MediaObject,
  MediaRecord,
  Metadata,
  SourceObject,
} from '../types.ts'
import { fileUrlKey, urlPath } from './names.ts'

/** Where a file's bytes lie in the store, as `Storage.read` and `Storage.delete` take it. */
export function storedBytes(record: FileRecord): StoredObject {
  return { size: record.file.filesize, manifest: record.manifest }
}

/** What makes a new file: its bytes, what was read from them, and the names it was given. */
export interface NewFile {
  mediaId: string
  probed: Probed
  filesize: number
  /** Paths relative to `dataDir`. */
  manifest: ManifestPart[]
  folder: string | null
  filename: string | null
  metadata: Metadata
  ref: string | null
  original: boolean
}

export function newFileRecord(input: NewFile): FileRecord {
  const now = isoNow()
  const { probed } = input
  return {
    file: {
      id: randomId('file_'),
      media_id: input.mediaId,
      object: 'source',
      kind: probed.kind,
      format: probed.format,
      type: probed.mimetype,
      width: probed.width,
      height: probed.height,
      duration: probed.duration,
      fps: probed.fps,
      filesize: input.filesize,
      folder: input.folder,
      filename: input.filename,
      ref: input.ref,
      original: input.original,
      metadata: input.metadata,
      created: now,
      updated: now,
    },
    manifest: input.manifest,
  }
}

/** The media an original file makes: it takes the file's measures. */
export function newMediaRecord(
  original: FileRecord['file'],
  alias: string | null,
  metadata: Metadata,
): MediaRecord {
  return {
    id: original.media_id,
    object: 'media',
    kind: original.kind,
    type: original.type,
    width: original.width,
    height: original.height,
    duration: original.duration,
    filesize: original.filesize,
    alias,
    metadata,
    filename: original.filename,
    folder: original.folder,
    created: original.created,
    updated: original.updated,
    status: 'active',
  }
}

/** The file as the API answers it; the URL is built on the origin the server listens on now. */
export function fileObject(record: FileRecord, origin: string): FileObject {
  const { file } = record
  const url = `${origin}${urlPath(fileUrlKey(record))}`
  // Spelled out so the fields come in the seed's order whatever the stored JSON's order.
  return {
    id: file.id,
    media_id: file.media_id,
    object: file.object,
    kind: file.kind,
    format: file.format,
    type: file.type,
    width: file.width,
    height: file.height,
    duration: file.duration,
    fps: file.fps,
    filesize: file.filesize,
    folder: file.folder,
    filename: file.filename,
    url,
    ref: file.ref,
    original: file.original,
    metadata: file.metadata,
    created: file.created,
    updated: file.updated,
  }
}

export function sourceObject(record: FileRecord, origin: string): SourceObject {
  const label = record.file.original ? 'original' : record.file.ref
  return { ...fileObject(record, origin), label }
}

export function mediaObject(media: MediaRecord, files: FileRecord[], origin: string): MediaObject {
  return { ...media, sources: files.map((file) => sourceObject(file, origin)) }
}
