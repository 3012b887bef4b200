import { beforeEach, describe, expect, it } from 'vitest'
import { createUpload } from '../../src/core/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  createSession,
  partRequests,
  resetServer,
  serverSettled,
  serverStats,
  setFaults,
  storedMedia,
} from '../support/server.ts'
import { until } from '../support/upload.ts'

const PART = 32 * 1024
const PUT = { method: 'PUT', path: '/store/resumable' } as const
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

beforeEach(async () => {
  await resetServer()
})

describe('pause() and resume()', () => {
  it('aborts parts in flight, sends nothing while paused, then completes', async () => {
    // Parts 0 and 1 go through; the server stores parts 2 and 3 and then holds their answers
    // until the client goes away. So at the pause exactly parts 2 and 3 are in flight, however
    // fast or loaded the machine is.
    const held = { ...PUT, stallMs: 60_000, times: 1 }
    await setFaults([
      { ...held, index: 2 },
      { ...held, index: 3 },
    ])
    const file = makeFile(PART * 10)
    const { url } = await createSession()
    const upload = createUpload(file, { url, chunkSize: PART, concurrency: 2, resume: false })
    const done = upload.start()
    await until(upload, (s) => s.partsAcknowledged >= 2)
    while ((await partRequests()).length < 4) await sleep(20)
    upload.pause()
    expect(upload.getSnapshot().status).toBe('paused')
    // The held answers end only when the client closes their connections: pause() aborted them.
    await serverSettled()
    const aborted = await partRequests()
    expect(aborted.map((r) => `${r.index}:${r.status}`).sort()).toEqual([
      '0:200',
      '1:200',
      '2:0',
      '3:0',
    ])
    // Nothing starts while paused (a client that kept sending would have parts 4 and up here).
    await sleep(400)
    expect(await partRequests()).toHaveLength(4)
    expect(upload.getSnapshot().status).toBe('paused')
    upload.resume()
    const media = await done
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  })

  it('never lets bytesUploaded go down, through pauses and retries', async () => {
    await setFaults([
      { ...PUT, status: 503, probability: 0.3 },
      { ...PUT, latencyMs: 30 },
    ])
    const file = makeFile(PART * 12)
    const { url } = await createSession()
    const upload = createUpload(file, {
      url,
      chunkSize: PART,
      resume: false,
      retryBaseDelayMs: 5,
      maxAttempts: 15,
    })
    const seen: number[] = []
    upload.subscribe(() => seen.push(upload.getSnapshot().bytesUploaded))
    const done = upload.start()
    await until(upload, (s) => s.partsAcknowledged >= 3)
    upload.pause()
    await sleep(100)
    upload.resume()
    await done
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!)
    expect(
      seen.slice(0, -1).every((b) => b < file.size || upload.getSnapshot().status === 'success'),
    ).toBe(true)
    expect(seen.at(-1)).toBe(file.size)
  })
})

describe('cancel()', () => {
  it('rejects start() with cancelled and sends no completion', async () => {
    await setFaults([{ ...PUT, latencyMs: 100 }])
    const { url } = await createSession()
    const upload = createUpload(makeFile(PART * 8), { url, chunkSize: PART, resume: false })
    const done = upload.start()
    await until(upload, (s) => s.partsAcknowledged >= 1)
    upload.cancel()
    await expect(done).rejects.toMatchObject({ code: 'cancelled' })
    await sleep(300)
    expect((await serverStats()).completions).toBe(0)
    expect(upload.getSnapshot().status).toBe('cancelled')
  })

  it('is safe in any order, twice, and after the end', async () => {
    const { url } = await createSession()
    const upload = createUpload(makeFile(100), { url, resume: false })
    upload.pause()
    upload.resume()
    await upload.start()
    upload.pause()
    upload.resume()
    upload.cancel()
    upload.cancel()
    expect(upload.getSnapshot().status).toBe('success')
  })
})

describe('going offline', () => {
  // Playwright's offline mode would also cut Vitest's own connection to this page, so here the
  // browser's offline/online events drive the engine while the real server keeps answering;
  // the end-to-end suite takes the page really offline.
  it('holds every part while offline without spending attempts, and goes on when online', async () => {
    await setFaults([{ ...PUT, latencyMs: 100 }])
    const file = makeFile(PART * 8)
    const { url } = await createSession()
    // One part at a time: at the moment the browser goes offline, at most one is on the wire.
    const upload = createUpload(file, {
      url,
      chunkSize: PART,
      resume: false,
      maxAttempts: 1,
      concurrency: 1,
    })
    const done = upload.start()
    await until(upload, (s) => s.partsAcknowledged >= 1)
    window.dispatchEvent(new Event('offline'))
    const offline = upload.getSnapshot()
    expect(offline.status).toBe('offline')
    // The part already on the wire may still reach the server, which keeps answering here; what
    // must hold is that nothing new is sent: at most the acknowledged parts and that one.
    await serverSettled()
    await sleep(400)
    expect(upload.getSnapshot().status).toBe('offline')
    expect((await partRequests()).length).toBeLessThanOrEqual(offline.partsAcknowledged + 1)
    window.dispatchEvent(new Event('online'))
    const media = await done
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  })
})
