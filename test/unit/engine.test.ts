import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload, UploadError } from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { HEAD_START_MS } from '../../src/core/sender.ts'
import { media, partOk, scriptedTransport } from '../support/scripted.ts'

// A Retry-After header is read by the lazy chunk (src/core/lazy.ts): loaded once here, so that
// under fake timers the backoff starts when the answer comes, as it does in a page that has it.
beforeAll(() => import('../../src/core/lazy.ts'))

/**
 * The engine with a scripted transport and fake timers: what it sends, and when. The real wire
 * is proven in Chromium against the reference server (test/browser); this is the clockwork.
 */
const flush = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('retry backoff', () => {
  it('waits a jittered delay before sending a failed part again', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['abc']), {
      url: 'http://upload.test/u',
      transport,
      resume: false,
      random: () => 0.5,
      retryBaseDelayMs: 1000,
    })
    void upload.start()
    await flush()
    calls[0]?.respond({ status: 503 })
    await flush()
    expect(upload.getSnapshot().status).toBe('retrying')
    await vi.advanceTimersByTimeAsync(749) // first retry: ceiling 1000, half + 0.5 of half
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    calls[1]?.respond({ status: 503 })
    await flush()
    await vi.advanceTimersByTimeAsync(1499) // second retry: ceiling 2000
    expect(calls).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(3)
  })

  it('honours Retry-After over its own backoff', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['abc']), {
      url: 'u',
      transport,
      resume: false,
      random: () => 0,
    })
    void upload.start()
    await flush()
    calls[0]?.respond({ status: 429, retryAfter: '2' })
    await flush()
    await vi.advanceTimersByTimeAsync(1999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
  })

  it('gives up after maxAttempts with the last status', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['abc']), {
      url: 'u',
      transport,
      resume: false,
      maxAttempts: 3,
      random: () => 0,
    })
    const done = upload.start()
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1000) // past each backoff (250, then 500 ms)
      calls[i]?.respond({ status: 502 })
      await flush()
    }
    await expect(done).rejects.toMatchObject({ code: 'http_error', status: 502 })
    expect(calls).toHaveLength(3)
  })

  it('spends no attempt on a network error when the browser is offline', async () => {
    vi.stubGlobal('navigator', { onLine: true })
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['abc']), {
      url: 'u',
      transport,
      resume: false,
      maxAttempts: 1,
    })
    void upload.start()
    await flush()
    vi.stubGlobal('navigator', { onLine: false })
    calls[0]?.fail()
    await flush()
    expect(upload.getSnapshot().status).toBe('offline')
    expect(upload.getSnapshot().error).toBeNull()
    vi.unstubAllGlobals()
  })
})

describe('what goes on the wire', () => {
  it('sends the first part alone for a head start, then fills up to the concurrency', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['aaaabbbbccccdddd']), {
      url: 'u',
      transport,
      chunkSize: 4,
      concurrency: 3,
      resume: false,
    })
    void upload.start()
    await flush()
    expect(calls.map((c) => c.request.headers['X-Upload-Index'])).toEqual(['0'])
    await vi.advanceTimersByTimeAsync(HEAD_START_MS - 1)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls.map((c) => c.request.headers['X-Upload-Index'])).toEqual(['0', '1', '2'])
    upload.cancel()
  })

  it('sends parts with X-Upload-Index and octet-stream, then the completion in index order', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['aaaabbbbcc']), {
      url: 'u',
      transport,
      chunkSize: 4,
      resume: false,
    })
    const done = upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    expect(calls.map((c) => c.request.headers['X-Upload-Index'])).toEqual(['0', '1', '2'])
    expect(calls[0]?.request.headers['Content-Type']).toBe('application/octet-stream')
    expect(calls[0]?.request.headers.Authorization).toBeUndefined()
    calls[2]?.respond(partOk(2))
    calls[0]?.respond(partOk(0))
    calls[1]?.respond(partOk(1))
    await flush()
    const completion = calls[3]?.request
    expect(completion?.method).toBe('POST')
    expect(JSON.parse(completion?.body as string)).toEqual({
      parts: [
        { index: 0, etag: 'e0' },
        { index: 1, etag: 'e1' },
        { index: 2, etag: 'e2' },
      ],
    })
    calls[3]?.respond(media)
    await expect(done).resolves.toMatchObject({ id: 'med_1' })
  })

  it('refuses an Authorization header: the upload URL is the credential', () => {
    expect(() =>
      createUpload(new Blob([]), { url: 'u', headers: { authorization: 'Bearer k' } }),
    ).toThrow(UploadError)
  })

  it('refuses a chunk size that is not a positive whole number', () => {
    expect(() => createUpload(new Blob([]), { url: 'u', chunkSize: 0 })).toThrow(/chunkSize/)
  })
})

describe('progress notifications', () => {
  it('coalesces a burst of progress events into one notification', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob([new Uint8Array(1000)]), {
      url: 'u',
      transport,
      resume: false,
    })
    let notified = 0
    upload.subscribe(() => notified++)
    void upload.start()
    await flush()
    notified = 0
    for (let loaded = 1; loaded <= 500; loaded++) calls[0]?.request.onProgress?.(loaded)
    await vi.advanceTimersByTimeAsync(20)
    expect(notified).toBe(1)
    expect(upload.getSnapshot().bytesUploaded).toBe(500)
  })

  it('returns the same snapshot object until something changes', async () => {
    const upload = createUpload(new Blob(['x']), { url: 'u', resume: false })
    expect(upload.getSnapshot()).toBe(upload.getSnapshot())
  })
})

describe('resume records', () => {
  it('records each acknowledged part and forgets them on success', async () => {
    const store = memoryStore()
    const { calls, transport } = scriptedTransport()
    const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
    const upload = createUpload(file, { url: 'http://x/u', transport, chunkSize: 4, resume: store })
    const done = upload.start()
    await vi.advanceTimersByTimeAsync(HEAD_START_MS)
    calls[1]?.respond(partOk(1))
    await flush()
    const key = JSON.stringify(['f.bin', 8, '', 1, 'http://x/u'])
    expect(store.get(key)).toMatchObject({ url: 'http://x/u', chunkSize: 4, parts: { 1: 'e1' } })
    calls[0]?.respond(partOk(0))
    await flush()
    calls[2]?.respond(media)
    await done
    expect(store.get(key)).toBeNull()
  })
})

describe('a stored URL the server refuses', () => {
  it('sends nothing more to it once a fresh session has taken over', async () => {
    const store = memoryStore()
    const file = new File(['aaaabbbbccccdddd'], 'f.bin', { lastModified: 1 })
    const key = JSON.stringify(['f.bin', 16, '', 1, 'http://x/u'])
    store.set(key, { url: 'http://x/stored', chunkSize: 4, parts: {}, expires: 9e15 })
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, {
      url: async () => 'http://x/own',
      endpoint: 'http://x/u',
      transport,
      chunkSize: 4,
      resume: store,
    })
    const done = upload.start()
    await flush()
    expect(calls.map((c) => c.request.url)).toEqual(['http://x/stored'])
    calls[0]?.respond({ status: 410 })
    await vi.advanceTimersByTimeAsync(HEAD_START_MS * 2)
    // The dead URL got its one request; everything else went to the fresh session.
    const urls = calls.map((c) => c.request.url)
    expect(urls.filter((u) => u === 'http://x/stored')).toHaveLength(1)
    for (const call of calls.slice(1)) {
      call.respond(partOk(Number(call.request.headers['X-Upload-Index'])))
    }
    await flush()
    calls.at(-1)?.respond(media)
    await expect(done).resolves.toMatchObject({ id: 'med_1' })
  })
})

describe('setOptions', () => {
  /** A Storage stub over a Map. */
  function mapStorage() {
    const items = new Map<string, string>()
    const storage = {
      get length() {
        return items.size
      },
      key: (i: number) => [...items.keys()][i] ?? null,
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
      removeItem: (k: string) => void items.delete(k),
      clear: () => items.clear(),
    }
    return { storage, items }
  }

  afterEach(() => {
    vi.unstubAllGlobals()
  })

  // (A new localStorage store no longer sweeps the whole of localStorage: the chunk of #16 does,
  // src/core/interrupted/sweep.ts. What stays to check is that option changes keep recording.)
  it('keeps recording in localStorage across option changes that leave resume alone', async () => {
    const { storage, items } = mapStorage()
    vi.stubGlobal('localStorage', storage)
    const { calls, transport } = scriptedTransport()
    const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
    const upload = createUpload(file, { url: 'http://x/u', transport, chunkSize: 4 })
    upload.setOptions({ concurrency: 2 })
    upload.setOptions({ headers: { 'X-Trace': '1' } })
    void upload.start()
    await flush()
    calls[0]?.respond(partOk(0))
    await flush()
    expect([...items.keys()].some((k) => k.startsWith('partwise:'))).toBe(true)
    upload.cancel()
  })

  it('uses a new resume store object as soon as it is given', async () => {
    const first = memoryStore()
    const second = memoryStore()
    const { calls, transport } = scriptedTransport()
    const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
    const upload = createUpload(file, { url: 'http://x/u', transport, chunkSize: 4, resume: first })
    upload.setOptions({ resume: second })
    void upload.start()
    await flush()
    calls[0]?.respond(partOk(0))
    await flush()
    const key = JSON.stringify(['f.bin', 8, '', 1, 'http://x/u'])
    expect(first.get(key)).toBeNull()
    expect(second.get(key)).toMatchObject({ parts: { 0: 'e0' } })
    upload.cancel()
  })
})
