import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  createUploadServer,
  type FaultRule,
  type UploadServer,
  type UploadStats,
} from '../../src/server/index.ts'

let server: UploadServer
let origin: string

beforeAll(async () => {
  server = createUploadServer({ control: true })
  origin = await server.listen()
})
afterAll(() => server.close())

interface Envelope {
  data?: Record<string, unknown>
  error?: { message: string }
}

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${origin}/__control/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, json: (await response.json()) as Envelope }
}
const setFaults = (rules: FaultRule[]) => control('PUT', 'faults', { rules })
const stats = async () => (await control('GET', 'stats')).json.data as unknown as UploadStats

beforeEach(async () => {
  await control('POST', 'reset')
})

async function newSession(): Promise<string> {
  const response = await fetch(`${origin}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.apiKey}` },
    body: '{"resumable": true}',
  })
  return ((await response.json()) as { data: { url: string } }).data.url
}

async function put(
  url: string,
  index: number,
  body: Uint8Array | string = 'part',
  signal?: AbortSignal,
) {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'X-Upload-Index': String(index) },
    body: typeof body === 'string' ? body : new Uint8Array(body),
    ...(signal ? { signal } : {}),
  })
  return { response, text: await response.text() }
}

describe('GET /__control/stats', () => {
  it('counts upload bytes, requests, completions and parts in flight at once', async () => {
    const url = await newSession()
    await setFaults([{ method: 'PUT', latencyMs: 100 }])
    const parts = await Promise.all(
      [0, 1, 2].map(async (index) => {
        const { text } = await put(url, index, randomBytes(1000))
        return (JSON.parse(text) as Envelope).data
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
    const response = await fetch(`${origin}/__bench/raw`, {
      method: 'PUT',
      body: new Uint8Array(randomBytes(300_000)),
    })
    expect(((await response.json()) as Envelope).data).toEqual({ filesize: 300_000 })
  })
})
