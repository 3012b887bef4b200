import { HttpError } from '../http/reply.ts'
import type { FileRecord } from '../types.ts'

/**
 * Folders and filenames only ever name a URL: the bytes live under random ids in `dataDir`, so
 * no name reaches the file system. They are still checked strictly, so that a name cannot
 * smuggle a path trick into a URL, a log line or a download's file name either.
 */

const MAX_SEGMENT = 255
const MAX_FOLDER = 1024
/** NUL and the other C0 controls, DEL, and the backslash Windows reads as a separator. */
function hasForbidden(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true
  }
  return false
}
/** First path segments the API answers itself: a file there could never be reached. */
const RESERVED = new Set(['files', 'uploads', 'store', '__control', '__bench'])
const MEDIA_ORIGINAL = /^med_[A-Za-z0-9_-]+\/original$/

/** Percent-decoded once, or the text itself when it is not valid percent-encoding. */
function decodedOnce(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function checkSegment(field: string, segment: string): void {
  if (segment === '') throw new HttpError(400, `"${field}" has an empty path segment`)
  if (segment.length > MAX_SEGMENT) {
    throw new HttpError(400, `"${field}" has a segment longer than ${MAX_SEGMENT} characters`)
  }
  if (hasForbidden(segment)) {
    throw new HttpError(400, `"${field}" may not hold control characters, NUL or backslashes`)
  }
  // Also encoded: a name that some later layer decodes must not turn into a traversal.
  const decoded = decodedOnce(segment)
  if ([segment, decoded].some((form) => form === '.' || form === '..')) {
    throw new HttpError(400, `"${field}" may not hold "." or ".." segments`)
  }
  if (decoded !== segment && (decoded.includes('/') || hasForbidden(decoded))) {
    throw new HttpError(400, `"${field}" may not hold an encoded slash, backslash or NUL`)
  }
}

/** A folder: segments joined by `/`, relative, no empty, dot or dot-dot segment. */
export function checkFolder(folder: string): string {
  if (folder.startsWith('/')) {
    throw new HttpError(400, '"folder" must be relative, like "users/42", not start with "/"')
  }
  if (folder.length > MAX_FOLDER) {
    throw new HttpError(400, `"folder" may not be longer than ${MAX_FOLDER} characters`)
  }
  for (const segment of folder.split('/')) checkSegment('folder', segment)
  return folder
}

/** A filename: one path segment. */
export function checkFilename(filename: string): string {
  if (filename.includes('/')) throw new HttpError(400, '"filename" may not hold a "/"')
  checkSegment('filename', filename)
  return filename
}

/** The name a multipart form gave its file, when it is a valid filename; else null. */
export function safeUploadedName(name: string | null): string | null {
  if (name === null) return null
  try {
    return checkFilename(name)
  } catch {
    return null
  }
}

/**
 * The path a file is served at, unencoded: `/{folder}/{filename}`, or `/{id}` without a
 * filename. Requests are matched on this form after decoding each segment of theirs.
 */
export function urlKey(id: string, folder: string | null, filename: string | null): string {
  if (filename === null) return `/${id}`
  return folder === null ? `/${filename}` : `/${folder}/${filename}`
}

/** The path a stored file is served at: its name's, unless it keeps its own (`ownUrl`). */
export function fileUrlKey(record: FileRecord): string {
  const { file } = record
  return record.ownUrl ? urlKey(file.id, null, null) : urlKey(file.id, file.folder, file.filename)
}

/** `urlKey` as it goes in a URL: each segment percent-encoded. */
export function urlPath(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/')
}

/** Refuses a folder and filename whose URL an API route would shadow. */
export function assertServable(folder: string | null, filename: string | null): void {
  if (filename === null) return
  const key = urlKey('', folder, filename).slice(1)
  const first = key.split('/')[0] ?? ''
  if (RESERVED.has(first) || MEDIA_ORIGINAL.test(key)) {
    throw new HttpError(
      400,
      `A file cannot be served at /${key}: the API answers that path; choose another folder`,
    )
  }
}

/** The lookup key of a request path, or null when a segment decodes to a separator. */
export function keyOfRequestPath(pathname: string): string | null {
  const segments: string[] = []
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string
    try {
      segment = decodeURIComponent(raw)
    } catch {
      return null
    }
    if (segment.includes('/') || hasForbidden(segment)) return null
    segments.push(segment)
  }
  return `/${segments.join('/')}`
}
