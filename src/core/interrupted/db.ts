/**
 * What #16 keeps beside a resume record, in IndexedDB (a `FileSystemFileHandle` can be stored
 * there, not in `localStorage`): one entry per record key (`resumeKey`), with the handle the
 * file came from and/or the name of its private copy. The records themselves stay in
 * `localStorage`, where the core reads them.
 */
export interface KeptEntry {
  /** The record's key (`resumeKey`). */
  key: string
  /** The handle the upload read the file from (Chromium's file pickers, drops). */
  handle?: FileSystemFileHandle | undefined
  /** The private copy's file name in the origin private file system (copy.ts). */
  copy?: string | undefined
  /** True once the copy is whole: a copy cut short by a reload is never read. */
  copied?: boolean | undefined
  /** When the entry was made (ms since the epoch): a young entry without a record is kept. */
  at: number
}

const DB = 'partwise'
const STORE = 'kept'

let opened: Promise<IDBDatabase> | undefined

const database = (): Promise<IDBDatabase> =>
  (opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' })
    request.onsuccess = () => {
      // Another tab may upgrade the database one day: let go of it then.
      request.result.onversionchange = () => {
        request.result.close()
        opened = undefined
      }
      resolve(request.result)
    }
    request.onerror = () => {
      opened = undefined
      reject(request.error)
    }
  }))

/** One request in its own transaction; resolves once the transaction has committed. */
async function run<T>(
  mode: IDBTransactionMode,
  make: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await database()
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode)
    const request = make(transaction.objectStore(STORE))
    transaction.oncomplete = () => resolve(request.result)
    transaction.onerror = transaction.onabort = () => reject(transaction.error)
  })
}

export const getEntry = (key: string): Promise<KeptEntry | undefined> =>
  run('readonly', (store) => store.get(key) as IDBRequest<KeptEntry | undefined>)

export const putEntry = (entry: KeptEntry): Promise<unknown> =>
  run('readwrite', (store) => store.put(entry))

export const deleteEntry = (key: string): Promise<unknown> =>
  run('readwrite', (store) => store.delete(key))

export const allEntries = (): Promise<KeptEntry[]> =>
  run('readonly', (store) => store.getAll() as IDBRequest<KeptEntry[]>)
