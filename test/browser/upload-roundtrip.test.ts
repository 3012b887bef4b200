import { beforeEach, describe, expect, it } from 'vitest'
import { createUpload } from '../../src/core/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  createSession,
  partRequests,
  resetServer,
  serverStats,
  setFaults,
  storedMedia,
} from '../support/server.ts'

const PART = 64 * 1024

async function roundTrip(size: number, options: { concurrency?: number } = {}) {
  const file = makeFile(size)
  const { url } = await createSession()
  const upload = createUpload(file, { url, chunkSize: PART, resume: false, ...options })
  const media = await upload.start()
  const stored = await storedMedia(media.id)
  return { file, media, stored, snapshot: upload.getSnapshot() }
}

beforeEach(async () => {
  await resetServer()
})

describe('createUpload() round trip, Chromium → reference server on another origin', () => {
  it.each([
    ['0 bytes', 0],
    ['1 byte', 1],
    ['a part minus one byte', PART - 1],
    ['exactly one part', PART],
    ['a part plus one byte', PART + 1],
    ['many parts', PART * 9 + 123],
  ])('stores %s byte for byte', async (_label, size) => {
    const { file, media, stored, snapshot } = await roundTrip(size)
    expect(stored.filesize).toBe(size)
    expect(stored.sha256).toBe(await sha256Hex(file))
    expect(media.filesize).toBe(size)
    expect(snapshot.status).toBe('success')
    expect(snapshot.bytesUploaded).toBe(size)
    expect(snapshot.progress).toBe(1)
    expect(snapshot.result).toEqual(media)
  })

  it('sends each part as a PUT with X-Upload-Index, then one completion', async () => {
    const { media } = await roundTrip(PART * 3 + 1)
    const puts = await partRequests()
    expect(puts.map((r) => r.index).sort()).toEqual([0, 1, 2, 3])
    expect(puts.every((r) => r.status === 200)).toBe(true)
    const stats = await serverStats()
    expect(stats.completions).toBe(1)
    expect(media.object).toBe('media')
  })

  it('keeps `concurrency` parts in flight together, and no more', async () => {
    // 250 ms per part: on loopback a 64 KiB part otherwise ends before the next one starts, and
    // whether they overlap would depend on the machine's load (50 ms was less than a loaded
    // renderer can take to start the fourth request after the first).
    await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: 250 }])
    await roundTrip(PART * 12, { concurrency: 4 })
    expect((await serverStats()).maxConcurrentParts).toBe(4)
  })

  it('never has more than one part in flight with concurrency 1', async () => {
    await roundTrip(PART * 5, { concurrency: 1 })
    expect((await serverStats()).maxConcurrentParts).toBe(1)
  })

  it('uploads in simple mode as one multipart POST with the field "file"', async () => {
    const file = makeFile(PART * 2 + 5, 'simple.bin')
    const { url } = await createSession({ resumable: false })
    const media = await createUpload(file, { url, mode: 'simple', resume: false }).start()
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
    const stats = await serverStats()
    expect(stats.requests.filter((r) => r.method === 'PUT')).toHaveLength(0)
  })

  it('calls a `url` function for the session and applies nothing else', async () => {
    const file = makeFile(PART + 10)
    const calls: Blob[] = []
    const media = await createUpload(file, {
      url: async (f) => {
        calls.push(f)
        return createSession()
      },
      chunkSize: PART,
      resume: false,
    }).start()
    expect(calls).toEqual([file])
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  })
})
