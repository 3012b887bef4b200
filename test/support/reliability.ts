/**
 * The reliability rig: the reference server behind a fault proxy, and the core uploading to it
 * from Node over loopback. What the server did is read from the proxy's log (which saw every
 * answer whole, lost or not) and from the server itself (the stored bytes' sha256).
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import {
  createUpload,
  type Media,
  type ResumeStore,
  type Upload,
  type UploadOptions,
} from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { createUploadServer, type UploadServer } from '../../src/server/index.ts'
import { type Exchange, type FaultProxy, startFaultProxy } from './fault-proxy.ts'
import { type NodeTransport, nodeTransport } from './node-transport.ts'

export interface Rig {
  readonly server: UploadServer
  readonly proxy: FaultProxy
  /** A resumable upload URL, as the app's backend would get it, pointing at the proxy. */
  session(): Promise<string>
  /** The media the server created for one upload key, by the answers it gave (lost or not). */
  mediaCreated(key: string): string[]
  /** sha256 and size of the media's stored bytes. */
  stored(mediaId: string): Promise<{ sha256: string; filesize: number }>
  /** How many completions the server performed in all (its own count). */
  completions(): Promise<number>
  /** The Files API: how many files the server holds (each media has one original). */
  filesTotal(): Promise<number>
  /** The Files API: the media ids of the `count` newest files. */
  newestMedia(count: number): Promise<string[]>
}

/** Starts the server and the proxy once for a file, and clears the proxy's rules per test. */
export function reliabilityRig(): Rig {
  let server: UploadServer | undefined
  let proxy: FaultProxy | undefined
  let origin = ''
  beforeAll(async () => {
    server = createUploadServer({ host: '127.0.0.1', port: 0, control: true })
    origin = await server.listen()
    proxy = await startFaultProxy(origin)
  })
  afterAll(async () => {
    await proxy?.close()
    await server?.close()
  })
  beforeEach(() => {
    proxy?.setRules([])
    proxy?.clearLog()
  })
  const envelope = async <T>(path: string, init: RequestInit = {}) => {
    const response = await fetch(origin + path, init)
    const body = (await response.json()) as {
      data: T
      meta: { total?: number }
      error?: { message: string }
    }
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body.error?.message}`)
    return body
  }
  const json = async <T>(path: string, init: RequestInit = {}): Promise<T> =>
    (await envelope<T>(path, init)).data
  const withKey = () => ({
    headers: { Authorization: `Bearer ${(server as UploadServer).apiKey}` },
  })
  return {
    get server() {
      return server as UploadServer
    },
    get proxy() {
      return proxy as FaultProxy
    },
    async session() {
      const { url } = await json<{ url: string }>('/uploads', {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${(server as UploadServer).apiKey}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ resumable: true }),
      })
      return (proxy as FaultProxy).via(url)
    },
    mediaCreated: (key) => mediaCreated((proxy as FaultProxy).log, key),
    stored: (mediaId) => json(`/__control/media/${mediaId}`),
    completions: async () => (await json<{ completions: number }>('/__control/stats')).completions,
    filesTotal: async () => (await envelope('/files?limit=1', withKey())).meta.total ?? 0,
    async newestMedia(count) {
      if (count <= 0) return []
      const files = await json<Array<{ media_id: string }>>(
        `/files?limit=${Math.min(count, 100)}`,
        withKey(),
      )
      return files.map((file) => file.media_id)
    },
  }
}

/** The distinct media ids in the server's 200 answers to completions of `key`. */
export function mediaCreated(log: readonly Exchange[], key: string): string[] {
  const ids = new Set<string>()
  for (const exchange of log) {
    if (exchange.method !== 'POST' || exchange.key !== key || exchange.upstreamStatus !== 200) {
      continue
    }
    const id = (JSON.parse(exchange.upstreamBody ?? '{}') as { data?: { id?: unknown } }).data?.id
    if (typeof id === 'string') ids.add(id)
  }
  return [...ids]
}

export const keyOf = (url: string): string => new URL(url).searchParams.get('key') ?? ''

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

/** Deterministic bytes of `size`, different per `seed`. */
export function bytesOf(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  let state = seed * 2_654_435_761
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) >>> 0
    bytes[i] = state >>> 24
  }
  return bytes
}

/** One page's upload: the core over a Node transport; `reload()` is the page going away. */
export interface PageUpload {
  upload: Upload
  transport: NodeTransport
}

/**
 * The page's view of a shared resume store: once the page is gone (its transport closed), it
 * writes nothing more, as a reloaded page cannot.
 */
export function pageStore(store: ResumeStore, transport: NodeTransport): ResumeStore {
  return {
    get: (key) => store.get(key),
    set: (key, record) => {
      if (!transport.closed) store.set(key, record)
    },
    remove: (key) => {
      if (!transport.closed) store.remove(key)
    },
  }
}

/** Small, fast defaults for loopback: parts of 4 KiB, short backoffs, a short stall timeout. */
export function pageUpload(
  file: Blob,
  options: Partial<UploadOptions> & { url: UploadOptions['url'] },
  store: ResumeStore | false = memoryStore(),
): PageUpload {
  const transport = nodeTransport()
  const upload = createUpload(file, {
    chunkSize: 4096,
    concurrency: 3,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 200,
    stallTimeoutMs: 1_000,
    // One uploader: its records are its own, also when `url` is a function (#13 item 15).
    endpoint: 'reliability',
    resume: store && pageStore(store, transport),
    transport: transport.transport,
    ...options,
  })
  return { upload, transport }
}

/** Resolves with the outcome of `promise`, or says it did not settle within `ms`. */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ settled: true; value?: T; error?: unknown } | { settled: false }> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms)
  })
  try {
    return await Promise.race([
      promise.then(
        (value) => ({ settled: true as const, value }),
        (error: unknown) => ({ settled: true as const, error }),
      ),
      timeout,
    ])
  } finally {
    clearTimeout(timer)
  }
}

export type { Media }
