import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload, localStorageStore, type ResumeStore } from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { HEAD_START_MS } from '../../src/core/sender.ts'
import { media, partOk, scriptedTransport } from '../support/scripted.ts'

/** The resume record over a stubbed `localStorage`: what is written, and what a reload finds. */
const flush = () => vi.advanceTimersByTimeAsync(0)

function memoryStorage() {
  const items = new Map<string, string>()
  return {
    items,
    storage: {
      get length() {
        return items.size
      },
      key: (i: number) => [...items.keys()][i] ?? null,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
      clear: () => items.clear(),
    },
  }
}

const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
const key = JSON.stringify(['f.bin', 8, '', 1, 'e'])

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('the record lifetime (#13 item 9)', () => {
  it("keeps a record usable when this browser's clock runs hours ahead of the server's", async () => {
    const { storage } = memoryStorage()
    vi.stubGlobal('localStorage', storage)
    const clientNow = Date.UTC(2026, 0, 1, 12)
    const now = () => clientNow
    // The server's clock reads 10:00: its URL lives until 11:00, an hour before the client's now.
    const serverExpires = new Date(clientNow - 3600_000).toISOString()
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, {
      url: async () => ({ url: 'http://x/u', expires: serverExpires }),
      endpoint: 'e',
      transport,
      chunkSize: 4,
      now,
    })
    void upload.start()
    await flush()
    calls[0]?.respond(partOk(0))
    await flush()
    // What a reloaded page finds: a fresh store over the same localStorage, at the same time.
    expect(localStorageStore(now)?.get(key)).toMatchObject({
      url: 'http://x/u',
      parts: { 0: 'e0' },
    })
    upload.cancel()
  })
})

describe('record writes (item 11)', () => {
  it('writes the record at most once a second, however many parts are acknowledged', async () => {
    const inner = memoryStore()
    const set = vi.fn(inner.set)
    const store: ResumeStore = { ...inner, set }
    const { calls, transport } = scriptedTransport()
    const many = new File([new Uint8Array(40)], 'many.bin', { lastModified: 1 })
    const upload = createUpload(many, {
      url: 'e',
      transport,
      chunkSize: 1,
      concurrency: 40,
      resume: store,
    })
    void upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    for (const [i, call] of calls.entries()) call.respond(partOk(i))
    await flush()
    expect(set.mock.calls.length).toBeLessThanOrEqual(2)
    await vi.advanceTimersByTimeAsync(1000)
    const manyKey = JSON.stringify(['many.bin', 40, '', 1, 'e'])
    expect(Object.keys(inner.get(manyKey)?.parts ?? {})).toHaveLength(40)
    expect(set.mock.calls.length).toBeLessThanOrEqual(3)
    upload.cancel()
  })
})

describe('an upload that ends in error (item 10)', () => {
  it('lets go of its window listeners and its Web Lock, and keeps its record', async () => {
    const listening = new Set<string>()
    vi.stubGlobal('window', {
      addEventListener: (type: string) => listening.add(type),
      removeEventListener: (type: string) => listening.delete(type),
    })
    let released = 0
    const request = (_name: string, _options: object, callback: (lock: object) => unknown) =>
      Promise.resolve(callback({})).then(() => {
        released++
      })
    vi.stubGlobal('navigator', { onLine: true, locks: { request } })
    const store = memoryStore()
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, { url: 'e', transport, chunkSize: 4, resume: store })
    const done = upload.start().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    expect(listening.size).toBeGreaterThan(0)
    calls[0]?.respond(partOk(0))
    await flush()
    calls[1]?.respond({ status: 400 })
    expect(await done).toMatchObject({ code: 'http_error', status: 400 })
    await flush()
    expect(listening.size).toBe(0)
    expect(released).toBe(1)
    expect(store.get(key)).toMatchObject({ parts: { 0: 'e0' } })
  })
})

describe('progress after a fresh session (item 13)', () => {
  it('never shows the whole file while no part of the new session is acknowledged', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, { url: 'e', transport, chunkSize: 4, resume: false })
    const done = upload.start().catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    calls[0]?.respond(partOk(0))
    calls[1]?.respond(partOk(1))
    await flush()
    calls[2]?.respond({ status: 410 }) // refused outright: the URL was dead before it completed
    expect(await done).toMatchObject({ status: 410 })
    void upload.retry().catch(() => undefined)
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    const snapshot = upload.getSnapshot()
    expect(snapshot.partsAcknowledged).toBe(0)
    expect(snapshot.bytesUploaded).toBeLessThan(snapshot.bytesTotal)
    for (const call of calls.slice(3)) {
      call.respond(partOk(Number(call.request.headers['X-Upload-Index'])))
    }
    await flush()
    calls.at(-1)?.respond(media)
    await flush()
    expect(upload.getSnapshot()).toMatchObject({ status: 'success', bytesUploaded: 8 })
  })
})

describe('the default part plan (item 14)', () => {
  it('keeps what a reload can lose, the parts in flight, within 1/8 of the file', async () => {
    const size = 48 * 1024 * 1024
    const big = new Blob([new Uint8Array(size)])
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(big, { url: 'u', transport, resume: false })
    void upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    const inFlight = calls.reduce((sum, c) => sum + (c.request.body as Blob).size, 0)
    expect(calls.length).toBeGreaterThan(1)
    expect(inFlight).toBeLessThanOrEqual(size / 8)
    upload.cancel()
  })
})

describe('two uploaders with url functions (item 15)', () => {
  it('never continue each other’s uploads: without an endpoint, no record is kept', async () => {
    const store = memoryStore()
    const first = scriptedTransport()
    const a = createUpload(file, {
      url: async () => 'http://x/folder-a',
      transport: first.transport,
      chunkSize: 4,
      resume: store,
    })
    void a.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    first.calls[0]?.respond(partOk(0))
    await flush()
    a.pause()

    const second = scriptedTransport()
    const url = vi.fn(async () => 'http://x/folder-b')
    const b = createUpload(file, { url, transport: second.transport, chunkSize: 4, resume: store })
    void b.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    expect(url).toHaveBeenCalledOnce()
    expect(second.calls.map((c) => c.request.url)).toEqual([
      'http://x/folder-b',
      'http://x/folder-b',
    ])
    a.cancel()
    b.cancel()
  })
})

describe('resuming from a record (item 14): the stored parts shown honestly', () => {
  const four = new File(['aaaabbbbccccdddd'], 'f.bin', { lastModified: 1 })
  const fourKey = JSON.stringify(['f.bin', 16, '', 1, 'http://x/u'])
  /** A record of parts 0 and 1 (8 of 16 bytes) at a stored URL, and an upload that finds it. */
  function resumed() {
    const store = memoryStore()
    store.set(fourKey, {
      url: 'http://x/stored',
      chunkSize: 4,
      parts: { 0: 's0', 1: 's1' },
      expires: 9e15,
    })
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(four, {
      url: async () => 'http://x/own',
      endpoint: 'http://x/u',
      transport,
      chunkSize: 4,
      resume: store,
    })
    const seen: Array<{ status: string; bytesUploaded: number; bytesRecorded: number }> = []
    upload.subscribe(() => {
      const { status, bytesUploaded, bytesRecorded } = upload.getSnapshot()
      seen.push({ status, bytesUploaded, bytesRecorded })
    })
    return { upload, calls, seen }
  }

  it('shows the recorded bytes while verifying, and counts them once the URL answers', async () => {
    const { upload, calls, seen } = resumed()
    const done = upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    expect(upload.getSnapshot()).toMatchObject({
      status: 'verifying',
      resumed: true,
      bytesRecorded: 8,
      bytesUploaded: 0,
    })
    calls[0]?.respond(partOk(2))
    await flush()
    // The URL answered: the record's 8 bytes and part 2's 4 are uploaded, none left to verify.
    expect(upload.getSnapshot()).toMatchObject({
      status: 'uploading',
      bytesRecorded: 0,
      bytesUploaded: 12,
      partsAcknowledged: 3,
    })
    calls[1]?.respond(partOk(3))
    await flush()
    calls[2]?.respond(media)
    await done
    expect(seen.map((s) => s.status)).toEqual([
      'checking',
      'verifying',
      'uploading',
      'completing',
      'success',
    ])
  })

  it('never counts the recorded bytes when the stored URL turns out dead', async () => {
    const { upload, calls, seen } = resumed()
    const done = upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    expect(upload.getSnapshot()).toMatchObject({ status: 'verifying', bytesRecorded: 8 })
    calls.find((c) => c.request.url === 'http://x/stored')?.respond({ status: 410 })
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    // A fresh session, from the first byte: nothing recorded, nothing shown as uploaded.
    expect(upload.getSnapshot()).toMatchObject({
      status: 'uploading',
      resumed: false,
      bytesRecorded: 0,
      bytesUploaded: 0,
    })
    // Every part of the fresh session answered as it is sent, then the completion.
    for (let answered = 1; calls.at(-1)?.request.method === 'PUT'; ) {
      for (const call of calls.slice(answered)) {
        call.respond(partOk(Number(call.request.headers['X-Upload-Index'])))
      }
      answered = calls.length
      await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    }
    calls.at(-1)?.respond(media)
    await done
    const statuses = seen.map((s) => s.status).filter((s, i, all) => s !== all[i - 1])
    expect(statuses).toEqual([
      'checking',
      'verifying',
      'checking',
      'uploading',
      'completing',
      'success',
    ])
    // Never more shown than the fresh session had acknowledged, until it succeeded.
    for (const s of seen.filter((s) => s.status !== 'success')) {
      expect(s.bytesUploaded).toBeLessThan(16)
    }
  })
})
