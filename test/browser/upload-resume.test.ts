import { beforeEach, describe, expect, it } from 'vitest'
import { createUpload, type Upload } from '../../src/core/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  createSession,
  expireUrl,
  partRequests,
  resetServer,
  serverSettled,
  setFaults,
  storedMedia,
} from '../support/server.ts'
import { until } from '../support/upload.ts'

const PART = 32 * 1024
const PUT = { method: 'PUT', path: '/store/resumable' } as const

/**
 * What a closed tab leaves behind: its record in localStorage (written at `pagehide`, as a
 * reload or a closed tab fires it), its parts in flight lost, its Web Lock released. cancel()
 * aborts and releases; the record it forgets is put back.
 * Returns the part indexes in that record: the receipts the client had, which may be fewer than
 * the parts the server answered (an answer on its way is lost with the tab).
 */
function abandon(upload: Upload): number[] {
  window.dispatchEvent(new Event('pagehide'))
  const records = Object.entries(localStorage).filter(([k]) => k.startsWith('partwise:'))
  upload.cancel()
  for (const [key, value] of records) localStorage.setItem(key, value)
  expect(records).toHaveLength(1)
  const { parts } = JSON.parse(records[0]?.[1] ?? '{}') as { parts: Record<string, string> }
  return Object.keys(parts).map(Number)
}

/** A `url` function that creates real sessions and keeps the URLs it handed out. */
function recordingSessions() {
  const urls: string[] = []
  const url = async () => {
    const session = await createSession()
    urls.push(session.url)
    return session
  }
  return { urls, url }
}

beforeEach(async () => {
  await resetServer()
  localStorage.clear()
})

describe('resume from the stored record (what a reload leaves behind)', () => {
  it('continues at the stored URL without calling `url`, sending only missing parts', async () => {
    await setFaults([{ ...PUT, latencyMs: 80 }])
    const file = makeFile(PART * 10)
    let sessions = 0
    const url = async () => {
      sessions++
      return createSession()
    }
    const first = createUpload(file, { url, endpoint: 'test', chunkSize: PART, concurrency: 2 })
    void first.start()
    await until(first, (s) => s.partsAcknowledged >= 4)
    const recorded = abandon(first)
    expect(recorded.length).toBeGreaterThanOrEqual(4)

    const second = createUpload(file, { url, endpoint: 'test', chunkSize: PART, concurrency: 2 })
    await serverSettled()
    const before = (await partRequests()).length
    const media = await second.start()
    expect(sessions).toBe(1)
    expect(second.getSnapshot().resumed).toBe(true)
    // Exactly the parts missing from the record, each once.
    const resent = (await partRequests()).slice(before).map((r) => r.index)
    const missing = [...Array(10).keys()].filter((index) => !recorded.includes(index))
    expect([...resent].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(missing)
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
    expect(Object.keys(localStorage).filter((k) => k.startsWith('partwise:'))).toEqual([])
  })

  it('starts one fresh session when the server refuses the stored URL', async () => {
    await setFaults([{ ...PUT, latencyMs: 80 }])
    const file = makeFile(PART * 6)
    const { urls, url } = recordingSessions()
    const first = createUpload(file, { url, endpoint: 'test', chunkSize: PART })
    void first.start()
    await until(first, (s) => s.partsAcknowledged >= 2)
    abandon(first)
    await expireUrl(urls[0]!)

    const second = createUpload(file, { url, endpoint: 'test', chunkSize: PART })
    const seen: number[] = []
    second.subscribe(() => seen.push(second.getSnapshot().bytesUploaded))
    const media = await second.start()
    expect(urls).toHaveLength(2)
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!)
  })

  it('forgets the record on cancel()', async () => {
    await setFaults([{ ...PUT, latencyMs: 80 }])
    const { url } = await createSession()
    const upload = createUpload(makeFile(PART * 6), { url, chunkSize: PART })
    const done = upload.start()
    await until(upload, (s) => s.partsAcknowledged >= 1)
    expect(Object.keys(localStorage).some((k) => k.startsWith('partwise:'))).toBe(true)
    upload.cancel()
    await done.catch(() => undefined)
    expect(Object.keys(localStorage).some((k) => k.startsWith('partwise:'))).toBe(false)
  })
})

describe('two uploads of the same file at once (two tabs share localStorage)', () => {
  it('gives the second its own session instead of the first one’s record', async () => {
    await setFaults([{ ...PUT, latencyMs: 60 }])
    const file = makeFile(PART * 6)
    const { urls, url } = recordingSessions()
    const first = createUpload(file, { url, endpoint: 'same', chunkSize: PART })
    const firstDone = first.start()
    await until(first, (s) => s.partsAcknowledged >= 1)
    const second = createUpload(file, { url, endpoint: 'same', chunkSize: PART })
    const [a, b] = await Promise.all([firstDone, second.start()])
    expect(new Set(urls).size).toBe(2)
    expect(second.getSnapshot().resumed).toBe(false)
    expect(a.id).not.toBe(b.id)
    const hash = await sha256Hex(file)
    expect((await storedMedia(a.id)).sha256).toBe(hash)
    expect((await storedMedia(b.id)).sha256).toBe(hash)
    expect(Object.keys(localStorage).filter((k) => k.startsWith('partwise:'))).toEqual([])
  })
})
