import { UploadError } from '../errors.ts'
import type { ResolvedOptions, UploadOptions } from '../options.ts'
import { resumeKey } from '../resume-store.ts'
import { isFinal } from '../status.ts'
import type { Upload } from '../types.ts'
import { deleteCopy, makeCopy, readCopy } from './copy.ts'
import { getEntry, putEntry } from './db.ts'
import { heldLocks } from './locks.ts'
import { forgetKept, sweep } from './records.ts'

/** The file an interrupted upload began with (its record key says it). */
export interface Identity {
  name: string
  size: number
  type: string
  lastModified: number
}

/**
 * What `continue()` (list.ts) hands the core as the source: something with `getFile()`, like a
 * handle, whose file must be the record's. `from` says what it reads: the stored handle (a file
 * changed on disk is `file_changed`), the private copy, or the file picked again (`wrong_file`).
 */
export interface Continued {
  readonly kind: 'file'
  readonly name: string
  getFile(): Promise<File>
  readonly expected: Identity
  readonly from: 'handle' | 'copy' | 'pick'
}

/** `queryPermission` and `requestPermission` are Chromium's (File System Access), not in lib.dom. */
type PermissionHandle = FileSystemFileHandle & {
  queryPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>
  requestPermission?(descriptor: { mode: 'read' }): Promise<PermissionState>
}

const kb = (bytes: number): string => `${Math.round(bytes / 1024)} KB`

/**
 * The file behind a handle. Permission is asked when it is not granted (after a reload it
 * never is): that needs a user gesture, the click that continues.
 */
export async function readHandle(handle: FileSystemFileHandle): Promise<File> {
  const h = handle as PermissionHandle
  const read = { mode: 'read' } as const
  if (
    h.queryPermission &&
    (await h.queryPermission(read)) !== 'granted' &&
    (await h.requestPermission?.(read)) !== 'granted'
  ) {
    throw new UploadError(
      'permission_denied',
      `The browser did not allow reading ${handle.name}: allow it to continue the upload, or pick the file again`,
    )
  }
  try {
    return await handle.getFile()
  } catch (cause) {
    throw new UploadError(
      'file_changed',
      `${handle.name} was moved or deleted since the upload began: pick it again to start over`,
      { cause },
    )
  }
}

/** Fails unless `file` is the one the upload began with. */
export function checkIdentity(file: Blob, expected: Identity, from: Continued['from']): void {
  const { name = '', lastModified = 0 } = file as Partial<File>
  const changes = [
    name !== expected.name && `named ${name}`,
    file.size !== expected.size && `${kb(file.size)}, not ${kb(expected.size)}`,
    lastModified !== expected.lastModified && 'modified since',
  ].filter(Boolean)
  if (changes.length === 0 && file.type === expected.type) return
  const why = changes.join(', ') || 'of another type'
  throw from === 'pick'
    ? new UploadError(
        'wrong_file',
        `This is not the file the upload began with (${why}): pick ${expected.name} to continue it`,
      )
    : new UploadError(
        'file_changed',
        `${expected.name} changed since the upload began (${why}): start over to upload it as it is now`,
      )
}

/** Uploads already watched, so that what is kept is forgotten once they end for good. */
const watched = new WeakSet<Upload>()
/** The private copy each kept file already has (a retry must not copy again). */
const copies = new WeakMap<Blob, Blob>()

/**
 * Called by the core's `prepare()` (upload.ts) for an upload from a handle or with `keepCopy`:
 * reads the file, keeps what a reload needs beside the record (the handle; the copy), and says
 * what the parts are cut from: `[file, body]`.
 */
export async function open(
  source: Blob | FileSystemFileHandle | Continued,
  options: ResolvedOptions,
  upload: Upload,
): Promise<[file: Blob, body: Blob]> {
  const continued = 'expected' in source ? (source as Continued) : null
  let file: Blob
  if (source instanceof Blob) file = source
  else if (continued) file = await continued.getFile()
  else file = await readHandle(source as FileSystemFileHandle)
  if (continued) checkIdentity(file, continued.expected, continued.from)
  // No record (simple mode, no endpoint, resume off): nothing a reload could go on from.
  if (!options.store || options.mode === 'simple') return [file, file]
  const key = resumeKey(file, options.endpoint)
  const now = options.now()
  // Every load of this chunk sweeps what expired (records, entries, copies), sparing what any
  // page is uploading or copying (their locks), this one included.
  void heldLocks()
    .then(({ all }) => sweep(now, all.add(`partwise:${key}`)))
    .catch(() => undefined)
  if (!watched.has(upload)) {
    watched.add(upload)
    // Success or cancel: nothing of the file remains (the core forgets the record itself).
    const stop = upload.subscribe(() => {
      if (!isFinal(upload.getSnapshot().status)) return
      stop()
      void forgetKept(key)
    })
  }
  let body = copies.get(file) ?? file
  try {
    const entry = (await getEntry(key)) ?? { key, at: now }
    if (!continued && source !== file) entry.handle = source as FileSystemFileHandle
    const keep = (options as UploadOptions).keepCopy
    if (keep && body === file && continued?.from !== 'copy') {
      const copied = entry.copied && entry.copy ? await readCopy(entry.copy) : null
      let name = copied?.size === file.size ? entry.copy : undefined
      if (!name) {
        if (entry.copy) await deleteCopy(entry.copy)
        // Named before it is made: a copy cut short by a reload is one the sweep knows of.
        const fresh = `${crypto.randomUUID()}.bin`
        await putEntry({ ...entry, copy: fresh, copied: false })
        const max = keep === true ? undefined : keep.maxBytes
        // Held while copying: a sweep in another tab spares a copy that has no record yet.
        const copy = () => makeCopy(file, fresh, max)
        const locks = globalThis.navigator?.locks
        const made = await (locks ? locks.request(`partwise-copy:${key}`, copy) : copy())
        name = made ? fresh : undefined
      }
      entry.copy = name
      entry.copied = !!name
      const bytes = name && (await readCopy(name))
      if (bytes) {
        // The copy, under the file's own identity: the record's key stays the file's.
        const { name: fileName = '', lastModified } = file as Partial<File>
        body = new File([bytes], fileName, { type: file.type, lastModified: lastModified ?? 0 })
        copies.set(file, body)
      }
    }
    await putEntry(entry)
  } catch {
    // No IndexedDB, or it failed: a normal upload, which a reload cannot continue unpicked.
  }
  return [file, body]
}
