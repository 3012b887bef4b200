import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload, type ResumeStore, type UploadOptions } from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { HEAD_START_MS } from '../../src/core/sender.ts'
import { media, partOk, scriptedTransport } from '../support/scripted.ts'

/**
 * The cross-tab Web Lock on a file's resume record, with a `navigator.locks` whose answers the
 * test gives by hand: a fresh upload must not wait for the answer (it is an IPC round trip, a
 * few milliseconds of the time to first byte), a stored record must.
 */
type Grant = (lock: object | null) => void

function scriptedLocks() {
  const grants: Grant[] = []
  const released: string[] = []
  const request = (
    name: string,
    _options: { ifAvailable: boolean },
    callback: (lock: object | null) => unknown,
  ) =>
    new Promise<void>((done) => {
      grants.push((lock) => {
        void Promise.resolve(callback(lock)).then(() => {
          if (lock) released.push(name)
          done()
        })
      })
    })
  vi.stubGlobal('navigator', { onLine: true, locks: { request } })
  return { grants, released }
}

const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
const key = JSON.stringify(['f.bin', 8, '', 1, 'http://x/u'])
/** Past the first part's head start: every part that may be in flight is. */
const flush = () => vi.advanceTimersByTimeAsync(HEAD_START_MS)

/** An upload of `file` in 4-byte parts, started, with the locks and the transport scripted. */
function started(store: ResumeStore, options: Partial<UploadOptions> = {}) {
  const locks = scriptedLocks()
  const { calls, transport } = scriptedTransport()
  const upload = createUpload(file, {
    url: 'http://x/u',
    transport,
    chunkSize: 4,
    resume: store,
    ...options,
  })
  return { ...locks, calls, upload, done: upload.start() }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('a fresh upload and the cross-tab lock', () => {
  it('sends its parts before the lock answers, and keeps a record only once it is granted', async () => {
    const store = memoryStore()
    const { grants, released, calls, done } = started(store)
    await flush()
    expect(grants).toHaveLength(1)
    expect(calls).toHaveLength(2) // both parts on the wire, the lock still unanswered

    calls[1]?.respond(partOk(1))
    await flush()
    expect(store.get(key)).toBeNull() // not ours yet: another tab may own this record

    grants[0]?.({})
    await flush()
    calls[0]?.respond(partOk(0))
    await flush()
    expect(store.get(key)).toMatchObject({ parts: { 0: 'e0', 1: 'e1' } })

    calls[2]?.respond(media)
    await done
    await flush()
    expect(store.get(key)).toBeNull()
    expect(released).toHaveLength(1)
  })

  it('never writes the record when another tab holds the lock', async () => {
    const store = memoryStore()
    const { grants, released, calls, done } = started(store)
    await flush()
    grants[0]?.(null)
    calls[0]?.respond(partOk(0))
    calls[1]?.respond(partOk(1))
    await flush()
    expect(store.get(key)).toBeNull()
    calls[2]?.respond(media)
    await expect(done).resolves.toMatchObject({ id: 'med_1' })
    expect(released).toHaveLength(0)
  })

  it('gives the lock back when the upload ended before the answer came', async () => {
    const { grants, released, upload } = started(memoryStore())
    await flush()
    upload.cancel()
    grants[0]?.({})
    await flush()
    expect(released).toHaveLength(1)
  })
})

describe('a stored record and the cross-tab lock', () => {
  const record = { url: 'http://x/stored', chunkSize: 4, parts: { 0: 'e0' }, expires: 9e15 }

  it('waits for the lock before sending to the stored URL', async () => {
    const store = memoryStore()
    store.set(key, record)
    const { grants, calls, upload } = started(store)
    await flush()
    expect(calls).toHaveLength(0)
    grants[0]?.({})
    await flush()
    expect(calls.map((c) => [c.request.url, c.request.headers['X-Upload-Index']])).toEqual([
      ['http://x/stored', '1'],
    ])
    upload.cancel()
  })

  it('leaves the record to the tab holding the lock and uploads on a session of its own', async () => {
    const store = memoryStore()
    store.set(key, record)
    const url = vi.fn(async () => 'http://x/own')
    const { grants, calls, upload } = started(store, { url, endpoint: 'http://x/u' })
    await flush()
    grants[0]?.(null)
    await flush()
    expect(url).toHaveBeenCalledOnce()
    expect(calls.map((c) => c.request.url)).toEqual(['http://x/own', 'http://x/own'])
    expect(store.get(key)).toEqual(record)
    upload.cancel()
    expect(store.get(key)).toEqual(record)
  })
})
