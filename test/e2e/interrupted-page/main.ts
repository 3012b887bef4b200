/**
 * A bare page over the core for test/e2e/interrupted-uploads.test.ts (#16): uploads from a
 * FileSystemFileHandle (a file written into the origin private file system, whose handles are
 * real and granted), from a File with or without keepCopy; lists, continues and discards the
 * interrupted ones; and says what is left in localStorage, IndexedDB and the private copies.
 */
import {
  createUpload,
  findInterruptedUploads,
  type InterruptedUpload,
  type Upload,
  type UploadOptions,
  type UploadSnapshot,
} from '../../../src/core/index.ts'

interface Listed {
  name: string
  size: number
  source: string
  progress: number
  bytesUploaded: number
  elsewhere: boolean
}

declare global {
  interface Window {
    pw: {
      snapshot: UploadSnapshot | null
      sessions: number
      error: { code: string; message: string } | null
      start(how: 'handle' | 'file', options?: Partial<UploadOptions>): Promise<void>
      list(): Promise<Listed[]>
      continueFirst(pick?: 'file' | 'other'): Promise<void>
      discardFirst(): Promise<string | null>
      changeHandleFile(): Promise<void>
      cancel(): void
      leftovers(): Promise<{ records: number; entries: number; copies: string[] }>
    }
  }
}

const params = new URLSearchParams(location.search)
const server = params.get('server') ?? ''
const apiKey = params.get('key') ?? ''
const chunkSize = Number(params.get('chunk') ?? 65536)

async function createSession(): Promise<string> {
  window.pw.sessions++
  const response = await fetch(`${server}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ resumable: true }),
  })
  const { data } = (await response.json()) as { data: { url: string } }
  return data.url
}

const picked = (id: string): File => {
  const file = document.querySelector<HTMLInputElement>(`#${id}`)?.files?.[0]
  if (!file) throw new Error(`no file in #${id}`)
  return file
}

/** The user's own files, outside partwise's folder of copies. */
const userFolder = async () =>
  (await navigator.storage.getDirectory()).getDirectoryHandle('user-files', { create: true })

let current: Upload | null = null

const watch = (upload: Upload): void => {
  current = upload
  upload.subscribe(() => {
    window.pw.snapshot = upload.getSnapshot()
  })
  upload.start().catch((error: { code: string; message: string }) => {
    window.pw.error = { code: error.code, message: error.message }
  })
}

let items: InterruptedUpload[] = []

window.pw = {
  snapshot: null,
  sessions: 0,
  error: null,
  async start(how, options = {}) {
    const settings: UploadOptions = {
      url: createSession,
      endpoint: server,
      chunkSize,
      concurrency: 2,
      ...options,
    }
    if (how === 'file') return watch(createUpload(picked('file'), settings))
    // A real FileSystemFileHandle: the picked file, written into the private file system.
    const file = picked('file')
    const handle = await (await userFolder()).getFileHandle(file.name, { create: true })
    const writable = await handle.createWritable()
    await file.stream().pipeTo(writable)
    watch(createUpload(handle, settings))
  },
  async list() {
    items = await findInterruptedUploads({ endpoint: server })
    return items.map(({ name, size, source, progress, bytesUploaded, elsewhere }) => ({
      name,
      size,
      source,
      progress,
      bytesUploaded,
      elsewhere,
    }))
  },
  async continueFirst(pick) {
    const item = items[0]
    if (!item) throw new Error('nothing listed')
    const upload = item.continue({
      url: createSession,
      concurrency: 2,
      ...(pick ? { file: picked(pick) } : {}),
    })
    watch(upload)
  },
  async discardFirst() {
    try {
      await items[0]?.discard()
      return null
    } catch (error) {
      return (error as { code: string }).code
    }
  },
  async changeHandleFile() {
    const folder = await userFolder()
    for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) {
      // Three bytes more (Chromium's in-memory private file system of a fresh context may
      // keep the modification time of a rewritten file).
      const handle = await folder.getFileHandle(name)
      const { size } = await handle.getFile()
      const writable = await handle.createWritable({ keepExistingData: true })
      await writable.write({ type: 'write', position: size, data: new Uint8Array([1, 2, 3]) })
      await writable.close()
    }
  },
  cancel() {
    current?.cancel()
  },
  async leftovers() {
    const records = Object.keys(localStorage).filter((k) => k.startsWith('partwise:')).length
    const entries = await new Promise<number>((resolve) => {
      const request = indexedDB.open('partwise')
      request.onupgradeneeded = () => request.transaction?.abort()
      request.onerror = () => resolve(0)
      request.onsuccess = () => {
        const db = request.result
        if (!db.objectStoreNames.contains('kept')) return resolve(0)
        const count = db.transaction('kept').objectStore('kept').count()
        count.onsuccess = () => {
          resolve(count.result)
          db.close()
        }
      }
    })
    const copies: string[] = []
    try {
      const root = await navigator.storage.getDirectory()
      const folder = await root.getDirectoryHandle('partwise')
      for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) {
        copies.push(name)
      }
    } catch {}
    return { records, entries, copies }
  },
}
