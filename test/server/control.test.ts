import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { controlledServer, send } from './helpers.ts'

const { running, control, setFaults, stats, newSession, put } = controlledServer()

describe('GET /__control/stats', () => {
  it('counts upload bytes, requests, completions and parts in flight at once', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', latencyMs: 100 }])
    const parts = await Promise.all(
      [0, 1, 2].map(async (index) => {
        return (await put(url, index, randomBytes(1000))).json.data
      }),
    )
    await fetch(url, { method: 'POST', body: JSON.stringify({ parts }) })
    const result = await stats()
    expect(result.bytesReceived).toBe(3000)
    expect(result.maxConcurrentParts).toBe(3)
    expect(result.completions).toBe(1)
    const puts = result.requests.filter((r) => r.method === 'PUT')
    expect(puts.map((r) => r.index).sort()).toEqual([0, 1, 2])
    for (const r of puts) {
      expect(r).toMatchObject({ path: '/store/resumable', status: 200, faulted: true })
      expect(r.endedAt).toBeGreaterThanOrEqual(r.startedAt)
    }
    expect(result.requests.some((r) => r.path.startsWith('/__control'))).toBe(false)
  })

  it('is emptied by POST /__control/reset, which also clears faults', async () => {
    await setFaults([{ status: 500 }])
    await put(await newSession(), 0)
    await control('POST', 'reset')
    expect(await stats()).toEqual({
      bytesReceived: 0,
      requests: [],
      maxConcurrentParts: 0,
      completions: 0,
    })
    expect((await put(await newSession(), 0)).response.status).toBe(200)
  })

  it('lists a request when it arrives, in flight with status 0 and endedAt 0', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', latencyMs: 200 }])
    const pending = put(url, 0)
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect((await stats()).requests.find((r) => r.method === 'PUT')).toMatchObject({
      status: 0,
      endedAt: 0,
      faulted: true,
    })
    await pending
    const done = (await stats()).requests.find((r) => r.method === 'PUT')
    expect(done?.status).toBe(200)
    expect(done?.endedAt).toBeGreaterThanOrEqual(done?.startedAt ?? Number.POSITIVE_INFINITY)
  })

  it('lists requests in the order they arrived, not the order they ended', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', index: 0, latencyMs: 200 }])
    const slow = put(url, 0)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await put(url, 1)
    await slow
    const puts = (await stats()).requests.filter((r) => r.method === 'PUT')
    expect(puts.map((r) => r.index)).toEqual([0, 1])
  })
})

describe('GET /__control/media/:id', () => {
  it('answers 404 for an unknown media', async () => {
    expect((await control('GET', 'media/med_unknown123')).status).toBe(404)
  })
})

describe('PUT /__bench/raw', () => {
  it('stores the body like a part and answers its size', async () => {
    const { json } = await send(`${running.origin}/__bench/raw`, {
      method: 'PUT',
      body: new Uint8Array(randomBytes(300_000)),
    })
    expect(json.data).toEqual({ filesize: 300_000 })
  })
})
