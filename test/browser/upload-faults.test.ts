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
import { failure } from '../support/upload.ts'

const PART = 32 * 1024
const PUT = { method: 'PUT', path: '/store/resumable' } as const

/** Fast retries: these tests are about what is retried, not how long the waits are. */
const quick = { chunkSize: PART, resume: false, retryBaseDelayMs: 5, retryMaxDelayMs: 50 } as const

async function uploadThroughFaults(parts: number, extra: Record<string, number> = {}) {
  const file = makeFile(PART * parts - 17)
  const { url } = await createSession()
  const upload = createUpload(file, { url, ...quick, ...extra })
  const media = await upload.start()
  expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  return { upload, media }
}

beforeEach(async () => {
  await resetServer()
})

describe('retries that a flaky network cannot defeat', () => {
  it('completes byte-identical through 30% of parts answered 503', async () => {
    // Three parts are sure to be hit (every part is sent at least once), and the dice decide
    // the rest: the test can count on three faults, never on what a 30% roll yields.
    const sure = [2, 9, 17].map((index) => ({ ...PUT, index, status: 503, times: 1 }))
    await setFaults([...sure, { ...PUT, status: 503, probability: 0.3 }])
    await uploadThroughFaults(20, { maxAttempts: 12 })
    const puts = await partRequests()
    // `faulted`, not the status: the 503 goes out before the part's body is read, and on a
    // loaded machine the connection can close before the reply is flushed (logged as 0).
    expect(puts.filter((r) => r.faulted).length).toBeGreaterThanOrEqual(sure.length)
    for (const { index } of sure) {
      expect(puts.filter((r) => r.index === index).length).toBeGreaterThanOrEqual(2)
    }
  })

  it('completes through dropped connections', async () => {
    await setFaults([{ ...PUT, drop: true, times: 3 }])
    await uploadThroughFaults(6)
    expect((await partRequests()).filter((r) => r.faulted)).toHaveLength(3)
  })

  it('waits the Retry-After of a 429 before sending the part again', async () => {
    await setFaults([{ ...PUT, index: 1, status: 429, retryAfter: '1', times: 1 }])
    await uploadThroughFaults(3)
    const tries = (await partRequests()).filter((r) => r.index === 1)
    expect(tries).toHaveLength(2)
    const [first, second] = tries as [(typeof tries)[0], (typeof tries)[0]]
    expect(second.startedAt - first.endedAt).toBeGreaterThanOrEqual(900)
  })

  it('aborts a stalled part and sends it again', async () => {
    await setFaults([{ ...PUT, index: 2, stallMs: 20_000, times: 1 }])
    await uploadThroughFaults(4, { stallTimeoutMs: 700 })
    expect((await partRequests()).filter((r) => r.index === 2).length).toBeGreaterThanOrEqual(2)
  })

  it('gives up with network_error after maxAttempts, and sends no completion', async () => {
    await setFaults([{ ...PUT, index: 0, drop: true }])
    const { url } = await createSession()
    const error = await failure(
      createUpload(makeFile(PART), { url, ...quick, maxAttempts: 3 }).start(),
    )
    expect(error.code).toBe('network_error')
    expect(error.message).toMatch(/part 0 after 3 attempts/)
    // Chromium itself may replay a request once when a reused keep-alive socket resets.
    const tries = (await partRequests()).filter((r) => r.index === 0).length
    expect(tries).toBeGreaterThanOrEqual(3)
    expect(tries).toBeLessThanOrEqual(6)
    expect((await serverStats()).completions).toBe(0)
  })
})

describe('failures that retrying cannot fix', () => {
  it('fails at once on a 400, with the status and the server message', async () => {
    await setFaults([{ ...PUT, index: 0, status: 400 }])
    const { url } = await createSession()
    const error = await failure(createUpload(makeFile(PART * 2), { url, ...quick }).start())
    expect(error.code).toBe('http_error')
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/part 0 \(HTTP 400\): \S/)
    expect((await partRequests()).filter((r) => r.index === 0)).toHaveLength(1)
  })

  it('fails fast when the upload URL expires mid-upload, without a storm of retries', async () => {
    await setFaults([{ ...PUT, afterParts: 2, expire: true, times: 1 }])
    const { url } = await createSession()
    const upload = createUpload(makeFile(PART * 12), { url, ...quick, concurrency: 2 })
    const error = await failure(upload.start())
    expect(error.code).toBe('http_error')
    expect(error.status).toBe(410)
    expect(error.message).toMatch(/expired/i)
    // Two parts done, the refusal, and at most the other part in flight then.
    expect((await partRequests()).length).toBeLessThanOrEqual(5)
    expect((await serverStats()).completions).toBe(0)
    expect(upload.getSnapshot().status).toBe('error')
  })

  it('reports a part reply that is not the protocol as protocol_error', async () => {
    await setFaults([{ ...PUT, index: 1, body: '<html>Bad gateway page</html>', times: 1 }])
    const { url } = await createSession()
    const error = await failure(createUpload(makeFile(PART * 3), { url, ...quick }).start())
    expect(error.code).toBe('protocol_error')
    expect(error.message).toMatch(/part 1 is not JSON/)
  })

  it('reports a part reply naming another index as protocol_error', async () => {
    const wrong = JSON.stringify({ meta: {}, data: { index: 7, etag: 'x' } })
    await setFaults([{ ...PUT, index: 0, body: wrong, times: 1 }])
    const { url } = await createSession()
    const error = await failure(createUpload(makeFile(PART), { url, ...quick }).start())
    expect(error.code).toBe('protocol_error')
    expect(error.message).toMatch(/names part 7/)
  })

  it('reports a part reply without an etag as protocol_error', async () => {
    const noEtag = JSON.stringify({ meta: {}, data: { index: 0 } })
    await setFaults([{ ...PUT, index: 0, body: noEtag, times: 1 }])
    const { url } = await createSession()
    const error = await failure(createUpload(makeFile(PART), { url, ...quick }).start())
    expect(error.message).toMatch(/has no etag/)
  })

  it('reports a completion answer without `data` as protocol_error, never as success', async () => {
    const rule = { method: 'POST', path: '/store/resumable', body: '{"meta":{"status":200}}' }
    await setFaults([{ ...rule, times: 1 }])
    const { url } = await createSession()
    const upload = createUpload(makeFile(PART * 2), { url, ...quick })
    const error = await failure(upload.start())
    expect(error.code).toBe('protocol_error')
    expect(error.message).toMatch(/completion of the upload has no `data` object/)
    expect(upload.getSnapshot().result).toBeNull()
  })
})
