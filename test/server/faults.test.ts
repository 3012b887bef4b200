import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { FaultRule } from '../../src/server/index.ts'
import { complete, controlledServer } from './helpers.ts'

const { control, setFaults, stats, newSession, put } = controlledServer()

/** Whether the server holds part 0, by the message a completion with a wrong etag gets. */
async function holdsPart0(url: string): Promise<boolean> {
  const { json } = await complete(url, { parts: [{ index: 0, etag: 'not-the-etag' }] })
  return json.error?.message === "Part 0's etag does not match the part the server holds"
}

describe('PUT /__control/faults', () => {
  it('refuses rules that are not a list of valid rules with 400', async () => {
    expect((await control('PUT', 'faults', { rules: 'x' })).status).toBe(400)
    expect((await setFaults([{ status: 'x' } as unknown as FaultRule])).status).toBe(400)
    expect((await setFaults([{ probability: 2 }])).status).toBe(400)
    expect((await setFaults([{ nonsense: 1 } as unknown as FaultRule])).status).toBe(400)
  })

  it('answers a status without storing the part, with Retry-After, and drains the body', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', path: '/store/resumable', status: 503, retryAfter: '2' }])
    const { response, text } = await put(url, 0, randomBytes(10_000))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('2')
    expect((JSON.parse(text) as { error: { message: string } }).error.message).toMatch(/503/)
    expect(await holdsPart0(url)).toBe(false)
    const { bytesReceived, requests } = await stats()
    expect(bytesReceived).toBe(10_000)
    expect(requests.find((r) => r.method === 'PUT')).toMatchObject({
      status: 503,
      faulted: true,
      index: 0,
    })
  })

  it('fires `times` times, then lets requests through', async () => {
    const url = await newSession()
    await setFaults([{ status: 500, times: 2 }])
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await put(url, 0)).response.status)
    expect(statuses).toEqual([500, 500, 200])
  })

  it('never fires with probability 0', async () => {
    const url = await newSession()
    await setFaults([{ status: 500, probability: 0 }])
    expect((await put(url, 0)).response.status).toBe(200)
  })

  it('matches on index and afterParts', async () => {
    const url = await newSession()
    await setFaults([
      { index: 1, status: 500 },
      { afterParts: 2, status: 502 },
    ])
    expect((await put(url, 0)).response.status).toBe(200)
    expect((await put(url, 1)).response.status).toBe(500)
    // Part 1 was refused, so the session holds two parts only once part 2 is stored.
    expect((await put(url, 2)).response.status).toBe(200)
    expect((await put(url, 3)).response.status).toBe(502)
  })

  it('matches on method and path', async () => {
    const url = await newSession()
    await setFaults([{ method: 'POST', path: '/store/resumable', status: 500 }])
    expect((await put(url, 0)).response.status).toBe(200)
    const completion = await fetch(url, { method: 'POST', body: '{"parts": []}' })
    expect(completion.status).toBe(500)
  })

  it('stores the part and answers a raw body for `body`', async () => {
    const url = await newSession()
    await setFaults([{ body: '{"data": {"index": 0,' }])
    const { response, text } = await put(url, 0)
    expect(response.status).toBe(200)
    expect(text).toBe('{"data": {"index": 0,')
    expect(await holdsPart0(url)).toBe(true)
  })

  it('cuts the connection for `drop` and stores nothing', async () => {
    const url = await newSession()
    await setFaults([{ drop: true, times: 1 }])
    await expect(put(url, 0, randomBytes(1024 * 1024))).rejects.toThrow()
    expect(await holdsPart0(url)).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect((await stats()).requests.find((r) => r.method === 'PUT')).toMatchObject({
      status: 0,
      faulted: true,
    })
  })

  it('closes every connection after its answer while a drop may fire', async () => {
    // Chromium re-sends a request once by itself when a reused connection closes unanswered.
    const url = await newSession()
    await setFaults([{ drop: true, index: 9 }])
    expect((await put(url, 0)).response.headers.get('connection')).toBe('close')
    await setFaults([])
    expect((await put(url, 0)).response.headers.get('connection')).not.toBe('close')
  })

  it('delays handling by `latencyMs`', async () => {
    const url = await newSession()
    await setFaults([{ latencyMs: 150 }])
    const started = Date.now()
    expect((await put(url, 0)).response.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('stores the part, then holds the answer for `stallMs`', async () => {
    const url = await newSession()
    await setFaults([{ stallMs: 150 }])
    const started = Date.now()
    expect((await put(url, 0)).response.status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('ends a stall when the client aborts, part kept', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', stallMs: 60_000 }])
    await expect(put(url, 0, 'bytes', AbortSignal.timeout(150))).rejects.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await holdsPart0(url)).toBe(true)
    expect((await stats()).requests.find((r) => r.method === 'PUT')?.status).toBe(0)
  })

  it('expires the session for `expire` and answers 410', async () => {
    const url = await newSession()
    await setFaults([{ expire: true, times: 1 }])
    const { response, text } = await put(url, 0)
    expect(response.status).toBe(410)
    expect((JSON.parse(text) as { error: { message: string } }).error.message).toBe(
      'This upload URL has expired',
    )
    expect((await put(url, 0)).response.status).toBe(410)
  })

  it('leaves session creation and the control API alone', async () => {
    await setFaults([{ status: 500 }])
    expect(await newSession()).toMatch(/^http/)
    expect((await control('GET', 'stats')).status).toBe(200)
  })

  it('is cleared by DELETE /__control/faults', async () => {
    const url = await newSession()
    await setFaults([{ status: 500 }])
    expect((await control('DELETE', 'faults')).status).toBe(200)
    expect((await put(url, 0)).response.status).toBe(200)
  })
})
