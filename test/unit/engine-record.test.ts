import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload, localStorageStore } from '../../src/core/index.ts'
import { partOk, scriptedTransport } from '../support/scripted.ts'

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
