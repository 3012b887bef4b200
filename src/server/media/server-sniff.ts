import { fileTypeFromBlob } from 'file-type'
import type { MediaKind } from '../types.ts'
import type { RangedBlob } from './stored-blob.ts'

export interface Sniffed {
  /** The MIME type; 'application/octet-stream' when unknown. */
  mimetype: string
  /** The container's short name (`mp4`, `jpg`); null when unknown. */
  format: string | null
  kind: MediaKind | null
}

/** Names file-type gives where a registered type exists, so conditions match what users write. */
const REGISTERED: Readonly<Record<string, string>> = {
  'audio/x-m4a': 'audio/mp4',
  'audio/x-wav': 'audio/wav',
  'audio/x-flac': 'audio/flac',
}

/**
 * Types only a name can tell: text has no magic number. None is a media kind, so a name never
 * makes a file an image, a video or an audio file; only its bytes can.
 */
const TEXT_BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  md: 'text/markdown',
  html: 'text/html',
  htm: 'text/html',
  svg: 'image/svg+xml',
  xml: 'application/xml',
}

function extensionOf(filename: string | null): string | null {
  const match = filename ? /\.([A-Za-z0-9]+)$/.exec(filename) : null
  return match?.[1]?.toLowerCase() ?? null
}

export function kindOf(mimetype: string): MediaKind | null {
  const top = mimetype.split('/')[0]
  return top === 'image' || top === 'video' || top === 'audio' ? top : null
}

/**
 * The file's type from its bytes (file-type reads as far as each format needs, through a
 * lazily read Blob), else a text type from its name, else unknown. `kind` is only ever set
 * from the bytes.
 */
export async function sniffType(blob: RangedBlob, filename: string | null): Promise<Sniffed> {
  const detected =
    blob.size > 0 ? await fileTypeFromBlob(blob as Blob).catch(() => undefined) : undefined
  if (detected) {
    const mimetype = REGISTERED[detected.mime] ?? detected.mime
    return { mimetype, format: detected.ext, kind: kindOf(mimetype) }
  }
  const extension = extensionOf(filename)
  const text = extension ? TEXT_BY_EXTENSION[extension] : undefined
  if (text && extension) return { mimetype: text, format: extension, kind: null }
  return { mimetype: 'application/octet-stream', format: null, kind: null }
}
