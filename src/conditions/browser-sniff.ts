import type { FileKind } from './types.ts'

// For files the browser gives no type: a Blob made in code, or an extension the OS does not map.
const EXTENSIONS: Record<string, string> = {
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
  ogv: 'video/ogg',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
}

// Leading bytes, `?` standing for any byte. First match wins, so the generic `ftyp` comes last.
const MAGIC: ReadonlyArray<readonly [string, string]> = [
  ['\x89PNG', 'image/png'],
  ['\xff\xd8\xff', 'image/jpeg'],
  ['GIF8', 'image/gif'],
  ['RIFF????WEBP', 'image/webp'],
  ['RIFF????WAVE', 'audio/wav'],
  ['????ftypavif', 'image/avif'],
  ['????ftypavis', 'image/avif'],
  ['????ftypheic', 'image/heic'],
  ['????ftypqt', 'video/quicktime'],
  ['????ftypM4A', 'audio/mp4'],
  ['????ftyp', 'video/mp4'],
  // EBML: WebM or Matroska; browsers play both under the WebM type.
  ['\x1aE\xdf\xa3', 'video/webm'],
  ['OggS', 'audio/ogg'],
  ['fLaC', 'audio/flac'],
  ['ID3', 'audio/mpeg'],
]

/**
 * The file's MIME type: the browser's, else from the name's extension, else from the first
 * bytes. Null when none tells. Only the last reads the file, and only 16 bytes of it.
 */
export async function sniffType(file: Blob): Promise<string | null> {
  const declared = file.type.split(';')[0]?.trim().toLowerCase() ?? ''
  // Some platforms label every unknown file as octet-stream, which says nothing.
  if (declared && declared !== 'application/octet-stream') return declared
  const name = 'name' in file && typeof file.name === 'string' ? file.name : ''
  const extension = /\.([^./]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''
  // A file that cannot be read at all has no type to tell; the caller sees null, not a throw.
  const sniffed = EXTENSIONS[extension] ?? (await fromBytes(file).catch(() => null))
  return sniffed ?? (declared || null)
}

export function kindOf(mimetype: string): FileKind {
  const major = mimetype.slice(0, mimetype.indexOf('/'))
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'other'
}

async function fromBytes(file: Blob): Promise<string | null> {
  const bytes = new Uint8Array(await file.slice(0, 16).arrayBuffer())
  const head = String.fromCharCode(...bytes)
  for (const [pattern, type] of MAGIC) {
    if ([...pattern].every((c, i) => c === '?' || head[i] === c)) return type
  }
  // An MP3 without an ID3 tag starts with a frame: 11 sync bits, then MPEG layer III.
  const [first = 0, second = 0] = bytes
  return first === 0xff && (second & 0xe6) === 0xe2 ? 'audio/mpeg' : null
}
