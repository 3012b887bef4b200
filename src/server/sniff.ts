import { open } from 'node:fs/promises'
import type { MediaKind } from './types.ts'

export interface Sniffed {
  /** The MIME type; 'application/octet-stream' when unknown. */
  mimetype: string
  kind: MediaKind | null
}

/** Bytes of the file's start that `sniffType` looks at. */
export const HEAD_BYTES = 64

function ascii(head: Uint8Array, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (head[start + i] !== text.charCodeAt(i)) return false
  }
  return true
}

function bytes(head: Uint8Array, start: number, expected: readonly number[]): boolean {
  return expected.every((byte, i) => head[start + i] === byte)
}

function contains(head: Uint8Array, text: string): boolean {
  return Buffer.from(head).includes(text, 0, 'latin1')
}

/** The type the file's first bytes announce (magic numbers), or null. */
function fromMagic(head: Uint8Array): string | null {
  if (bytes(head, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (bytes(head, 0, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'image/gif'
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'image/webp'
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'audio/wav'
  if (ascii(head, 4, 'ftyp')) {
    // ISO base media: the major brand tells QuickTime and audio-only MP4 from video MP4.
    if (ascii(head, 8, 'qt  ')) return 'video/quicktime'
    if (ascii(head, 8, 'M4A ')) return 'audio/mp4'
    return 'video/mp4'
  }
  // Old QuickTime files start with an atom other than ftyp.
  if (ascii(head, 4, 'moov') || ascii(head, 4, 'mdat') || ascii(head, 4, 'wide')) {
    return 'video/quicktime'
  }
  if (bytes(head, 0, [0x1a, 0x45, 0xdf, 0xa3])) {
    return contains(head, 'webm') ? 'video/webm' : 'video/x-matroska'
  }
  if (ascii(head, 0, 'OggS')) return contains(head, 'theora') ? 'video/ogg' : 'audio/ogg'
  if (ascii(head, 0, 'ID3')) return 'audio/mpeg'
  // An MPEG audio frame sync; layer bits 00 would be AAC (ADTS), which is not MP3.
  const [first = 0, second = 0] = head
  if (first === 0xff && (second & 0xe0) === 0xe0 && (second & 0x06) !== 0) return 'audio/mpeg'
  return null
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  heic: 'image/heic',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  flac: 'audio/flac',
  aac: 'audio/aac',
  txt: 'text/plain',
  json: 'application/json',
  pdf: 'application/pdf',
}

function fromExtension(filename: string | null): string | null {
  const match = filename ? /\.([A-Za-z0-9]+)$/.exec(filename) : null
  return match?.[1] ? (BY_EXTENSION[match[1].toLowerCase()] ?? null) : null
}

export function kindOf(mimetype: string): MediaKind | null {
  const top = mimetype.split('/')[0]
  return top === 'image' || top === 'video' || top === 'audio' ? top : null
}

/** The file's type from its first bytes, else from its name, else unknown. */
export function sniffType(head: Uint8Array, filename: string | null): Sniffed {
  const mimetype = fromMagic(head) ?? fromExtension(filename) ?? 'application/octet-stream'
  return { mimetype, kind: kindOf(mimetype) }
}

/** Up to `HEAD_BYTES` from the start of a file. */
export async function readHead(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(HEAD_BYTES)
    const { bytesRead } = await file.read(buffer, 0, HEAD_BYTES, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await file.close()
  }
}
