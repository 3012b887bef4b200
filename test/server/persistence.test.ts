import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUploadServer, type UploadServer } from '../../src/server/index.ts'

interface Part {
  index: number
  etag: string
}

async function newSession(origin: string, apiKey: string): Promise<string> {
  const response = await fetch(`${origin}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}` },
    body: '{"resumable": true}',
  })
  return ((await response.json()) as { data: { url: string } }).data.url
}

async function put(url: string, index: number, bytes: Uint8Array): Promise<Part> {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'X-Upload-Index': String(index) },
    body: new Uint8Array(bytes),
  })
  return ((await response.json()) as { data: Part }).data
}

async function completionMessage(url: string, parts: Part[]): Promise<string | undefined> {
  const response = await fetch(url, { method: 'POST', body: JSON.stringify({ parts }) })
  return ((await response.json()) as { error?: { message: string } }).error?.message
}

/** Sends the headers and the first bytes of a part, then does what `then` says. */
function partialPut(
  url: string,
  declared: number,
  then: 'stall' | 'abort' | 'wait',
): Promise<string> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: 'PUT',
      headers: { 'X-Upload-Index': '0', 'Content-Length': String(declared) },
    })
    req.on('response', (response) => resolve(`status ${response.statusCode}`))
    req.on('error', (error) => resolve(`error ${error.message}`))
    req.write(Buffer.alloc(10))
    if (then === 'abort') setTimeout(() => req.destroy(), 50)
  })
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const sessionDir = (dataDir: string, url: string) =>
  join(dataDir, 'sessions', (new URL(url).searchParams.get('key') ?? '').split('.')[0] ?? '')

describe('restart on the same dataDir', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partwise-restart-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  it('keeps acknowledged parts, so the upload completes on the new process', async () => {
    const options = { dataDir, signingSecret: 'kept', apiKey: 'key', control: true }
    const source = randomBytes(3000)
    const first = createUploadServer(options)
    const firstOrigin = await first.listen()
    const url = await newSession(firstOrigin, 'key')
    const p0 = await put(url, 0, source.subarray(0, 1000))
    const p1 = await put(url, 1, source.subarray(1000, 2000))
    await first.close()
    expect(existsSync(dataDir)).toBe(true)

    const second = createUploadServer(options)
    const secondOrigin = await second.listen()
    const moved = url.replace(firstOrigin, secondOrigin)
    const p2 = await put(moved, 2, source.subarray(2000))
    const response = await fetch(moved, {
      method: 'POST',
      body: JSON.stringify({ parts: [p0, p1, p2] }),
    })
    const media = ((await response.json()) as { data: { id: string } }).data
    const digest = await fetch(`${secondOrigin}/__control/media/${media.id}`)
    expect(((await digest.json()) as { data: unknown }).data).toEqual({
      sha256: sha256(source),
      filesize: 3000,
    })
    await second.close()
  })

  it('refuses the old keys when the signing secret changed (403)', async () => {
    const first = createUploadServer({ dataDir, signingSecret: 'one', apiKey: 'key' })
    const url = await newSession(await first.listen(), 'key')
    await first.close()
    const second = createUploadServer({ dataDir, signingSecret: 'two' })
    const origin = await second.listen()
    const response = await fetch(url.replace(/^http:\/\/[^/]+/, origin), {
      method: 'PUT',
      headers: { 'X-Upload-Index': '0' },
      body: 'x',
    })
    expect(response.status).toBe(403)
    await second.close()
  })
})

describe('close()', () => {
  it('removes a dataDir it created, and only that', async () => {
    const own = createUploadServer()
    await own.listen()
    expect(existsSync(own.dataDir)).toBe(true)
    await own.close()
    expect(existsSync(own.dataDir)).toBe(false)
  })

  it('ends open keep-alive and in-flight connections', async () => {
    const server = createUploadServer({ apiKey: 'key' })
    const url = await newSession(await server.listen(), 'key')
    const pending = partialPut(url, 1000, 'stall')
    await new Promise((resolve) => setTimeout(resolve, 50))
    await server.close()
    expect(await pending).toMatch(/^error/)
  })
})

describe('interrupted part bodies', () => {
  let server: UploadServer
  let origin: string
  beforeAll(async () => {
    server = createUploadServer({ apiKey: 'key', bodyTimeoutMs: 150 })
    origin = await server.listen()
  })
  afterAll(() => server.close())

  it('cuts a body that sends nothing for bodyTimeoutMs and keeps nothing of it', async () => {
    const url = await newSession(origin, 'key')
    const started = Date.now()
    const outcome = await partialPut(url, 1000, 'stall')
    expect(outcome).toMatch(/^error/)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await completionMessage(url, [{ index: 0, etag: 'x' }])).toBe(
      'Part 0 was never received by the server',
    )
    expect((await readdir(sessionDir(server.dataDir, url))).sort()).toEqual([
      'parts',
      'session.json',
    ])
  })

  it('keeps nothing of a part whose client went away mid-body', async () => {
    const url = await newSession(origin, 'key')
    expect(await partialPut(url, 1000, 'abort')).toMatch(/^error/)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await completionMessage(url, [{ index: 0, etag: 'x' }])).toBe(
      'Part 0 was never received by the server',
    )
    expect(await readdir(join(sessionDir(server.dataDir, url), 'parts'))).toEqual([])
    expect((await readdir(sessionDir(server.dataDir, url))).sort()).toEqual([
      'parts',
      'session.json',
    ])
  })

  it('refuses at once a part whose declared length is far over maxPartSize (413)', async () => {
    const url = await newSession(origin, 'key')
    const declared = 512 * 1024 * 1024 + 64 * 1024 * 1024 + 1
    expect(await partialPut(url, declared, 'wait')).toBe('status 413')
  })

  it('records every part of a burst of parallel PUTs', async () => {
    const url = await newSession(origin, 'key')
    const indexes = Array.from({ length: 40 }, (_, i) => i)
    const parts = await Promise.all(indexes.map((i) => put(url, i, randomBytes(100))))
    const response = await fetch(url, { method: 'POST', body: JSON.stringify({ parts }) })
    expect(response.status).toBe(200)
  })
})
