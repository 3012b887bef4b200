import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { findInterruptedUploads } from '../../src/core/index.ts'
import { checkIdentity } from '../../src/core/interrupted/open.ts'
import { PREFIX, type ResumeRecord, resumeKey } from '../../src/core/resume-store.ts'

/**
 * findInterruptedUploads() over the records in localStorage (#16), in Node: no IndexedDB and no
 * Web Locks here, so every item is a `'pick'` one, never elsewhere. The tiers themselves, and
 * the locks, are specified in Chromium by test/e2e/interrupted-uploads.test.ts.
 */

function mapStorage() {
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

const ENDPOINT = 'https://up.example/store'
const file = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4', lastModified: 1_000 })
const record = (over: Partial<ResumeRecord> = {}): ResumeRecord => ({
  url: 'https://up.example/u/1',
  chunkSize: 4,
  parts: { 0: 'e0', 2: 'e2' },
  expires: Date.now() + 3600_000,
  ...over,
})

let items: Map<string, string>
beforeEach(() => {
  const stub = mapStorage()
  items = stub.items
  vi.stubGlobal('localStorage', stub.storage)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

const put = (key: string, value: unknown) => items.set(PREFIX + key, JSON.stringify(value))

describe('findInterruptedUploads()', () => {
  it('lists a record with its file, its bytes acknowledged and its progress', async () => {
    put(resumeKey(file, ENDPOINT), record())
    const [item, ...rest] = await findInterruptedUploads()
    expect(rest).toEqual([])
    // Parts 0 (4 bytes) and 2 (the last one: 2 bytes) of a 10-byte file cut in 4s.
    expect(item).toMatchObject({
      name: 'clip.mp4',
      size: 10,
      type: 'video/mp4',
      lastModified: 1_000,
      endpoint: ENDPOINT,
      bytesUploaded: 6,
      progress: 0.6,
      source: 'pick',
      elsewhere: false,
    })
  })

  it('narrows the list to an endpoint', async () => {
    put(resumeKey(file, ENDPOINT), record())
    put(resumeKey(file, 'https://elsewhere.example/'), record())
    expect(await findInterruptedUploads()).toHaveLength(2)
    const only = await findInterruptedUploads({ endpoint: ENDPOINT })
    expect(only.map((i) => i.endpoint)).toEqual([ENDPOINT])
  })

  it('sweeps expired, corrupt and malformed records instead of listing them', async () => {
    put(resumeKey(file, 'a'), record({ expires: Date.now() - 1 }))
    put(resumeKey(file, 'b'), record({ chunkSize: 0 }))
    items.set(`${PREFIX}${resumeKey(file, 'c')}`, '{not json')
    items.set(`${PREFIX}not a key`, JSON.stringify(record()))
    items.set('someone-else', 'kept')
    expect(await findInterruptedUploads()).toEqual([])
    expect([...items.keys()]).toEqual(['someone-else'])
  })

  it('discard() forgets the record', async () => {
    put(resumeKey(file, ENDPOINT), record())
    const [item] = await findInterruptedUploads()
    await item?.discard()
    expect(items.size).toBe(0)
    expect(await findInterruptedUploads()).toEqual([])
  })

  it('continue() of a pick item without a file, or with another file, fails with wrong_file', async () => {
    put(resumeKey(file, ENDPOINT), record())
    const [item] = await findInterruptedUploads()
    await expect(item?.continue().start()).rejects.toMatchObject({ code: 'wrong_file' })
    const other = new File(['0123456789'], 'clip.mp4', { type: 'video/mp4', lastModified: 2_000 })
    const upload = item?.continue({ file: other })
    await expect(upload?.start()).rejects.toMatchObject({
      code: 'wrong_file',
      message: expect.stringMatching(/modified since.*pick clip\.mp4 to continue it/),
    })
    expect(upload?.getSnapshot().status).toBe('error')
    // Still listed: nothing was sent, the record is untouched.
    expect(await findInterruptedUploads()).toHaveLength(1)
  })
})

describe('checkIdentity()', () => {
  const expected = { name: 'clip.mp4', size: 10, type: 'video/mp4', lastModified: 1_000 }

  it('accepts the same file', () => {
    expect(() => checkIdentity(file, expected, 'handle')).not.toThrow()
  })

  it('says what changed: file_changed behind a handle, wrong_file when picked', () => {
    const grown = new File(['0123456789ab'], 'clip.mp4', { type: 'video/mp4', lastModified: 5 })
    expect(() => checkIdentity(grown, expected, 'handle')).toThrow(
      expect.objectContaining({
        code: 'file_changed',
        message: expect.stringMatching(
          /clip\.mp4 changed since the upload began \(.*modified since\)/,
        ),
      }),
    )
    expect(() => checkIdentity(grown, expected, 'pick')).toThrow(
      expect.objectContaining({ code: 'wrong_file' }),
    )
  })
})
