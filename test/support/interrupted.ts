/**
 * Real interrupted uploads for the UI tests of #16: an upload through the core against the
 * reference server that the server stops after some parts (a permanent refusal ends it in an
 * error, which keeps its record and lets go of its lock, as a closed tab would), from a file
 * handle in the private file system (a real `FileSystemFileHandle`, read permission granted)
 * or from a plain file (listed as 'pick').
 */
import { createUpload, findInterruptedUploads } from '../../src/core/index.ts'
import { createSession, setFaults } from './server.ts'

export const getUrl = async (): Promise<string> => (await createSession()).url

/** A file in the Origin Private File System, with these bytes. */
export async function privateFile(name: string, bytes: Blob): Promise<FileSystemFileHandle> {
  const dir = await navigator.storage.getDirectory()
  const handle = await dir.getFileHandle(name, { create: true })
  const writable = await handle.createWritable()
  await writable.write(bytes)
  await writable.close()
  return handle
}

/**
 * Uploads `source` to `endpoint` until the server refuses part `afterParts` for good: the first
 * `afterParts` parts are stored and acknowledged, the record stays.
 */
export async function interrupt(
  source: Blob | FileSystemFileHandle,
  endpoint: string,
  chunkSize: number,
  afterParts = 2,
): Promise<void> {
  await setFaults([{ method: 'PUT', path: '/store/resumable', status: 400, afterParts, times: 1 }])
  const upload = createUpload(source, { url: getUrl, endpoint, chunkSize, concurrency: 1 })
  await upload.start().then(
    () => {
      throw new Error('the upload was meant to be interrupted')
    },
    () => undefined,
  )
  await setFaults([])
}

/** Forgets every interrupted upload, and the private files: each test starts with none. */
export async function forgetAll(): Promise<void> {
  for (const item of await findInterruptedUploads()) await item.discard().catch(() => undefined)
  for (const key of Object.keys(localStorage)) {
    if (key.startsWith('partwise:')) localStorage.removeItem(key)
  }
  const dir = await navigator.storage.getDirectory()
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
    await dir.removeEntry(name, { recursive: true }).catch(() => undefined)
  }
}

/**
 * Holds the core's IndexedDB store of kept handles (`partwise`/`kept`) with a busy read-write
 * transaction, so that a `findInterruptedUploads()` that has read the records (from
 * `localStorage`) and the locks waits there for its answer. `asked` resolves once the page asks
 * for that store: the finding has read the records by then. `release()` lets it answer.
 */
export async function holdKeptStore(): Promise<{ asked: Promise<void>; release(): Promise<void> }> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open('partwise', 1)
    request.onupgradeneeded = () => request.result.createObjectStore('kept', { keyPath: 'key' })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
  let held = true
  const transaction = db.transaction('kept', 'readwrite')
  const store = transaction.objectStore('kept')
  const spin = (): void => {
    if (held) store.get('-').onsuccess = spin
  }
  spin()
  const ended = new Promise<void>((resolve) => {
    transaction.oncomplete = transaction.onabort = () => resolve()
  })
  const original = IDBDatabase.prototype.transaction
  let tell = (): void => undefined
  const asked = new Promise<void>((resolve) => {
    tell = resolve
  })
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args) {
    if (this !== db) tell()
    return original.apply(this, args)
  }
  return {
    asked,
    async release() {
      IDBDatabase.prototype.transaction = original
      held = false
      await ended
      db.close()
    },
  }
}
