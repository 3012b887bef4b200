import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUploadServer, type UploadServerOptions } from '../../src/server/index.ts'
import {
  api,
  complete,
  createSession,
  putPart,
  putPartOk,
  type Running,
  sha256,
  sleep,
  storedDigest,
  testServer,
  upload,
} from './helpers.ts'

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

async function completionMessage(url: string): Promise<string | undefined> {
  return (await complete(url, { parts: [{ index: 0, etag: 'x' }] })).json.error?.message
}

const sessionDir = (dataDir: string, url: string) =>
  join(dataDir, 'sessions', (new URL(url).searchParams.get('key') ?? '').split('.')[0] ?? '')

/** Starts a server on `options`, runs `work`, and closes it whatever happens. */
async function withServer<T>(
  options: UploadServerOptions,
  work: (running: Running) => Promise<T>,
): Promise<T> {
  const server = createUploadServer(options)
  try {
    return await work({ server, origin: await server.listen() })
  } finally {
    await server.close()
  }
}

describe('restart on the same dataDir', () => {
  let dataDir: string
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partwise-restart-'))
  })
  afterAll(() => rm(dataDir, { recursive: true, force: true }))

  it('keeps acknowledged parts, so the upload completes on the new process', async () => {
    const options = { dataDir, signingSecret: 'kept', apiKey: 'key', control: true }
    const source = randomBytes(3000)
    const { url, parts, firstOrigin } = await withServer(options, async (first) => {
      const url = await createSession(first)
      const parts = [
        await putPartOk(url, 0, source.subarray(0, 1000)),
        await putPartOk(url, 1, source.subarray(1000, 2000)),
      ]
      return { url, parts, firstOrigin: first.origin }
    })
    expect(existsSync(join(dataDir, 'partwise.sqlite'))).toBe(true)

    await withServer(options, async (second) => {
      const moved = url.replace(firstOrigin, second.origin)
      const p2 = await putPartOk(moved, 2, source.subarray(2000))
      const { status, json } = await complete(moved, { parts: [...parts, p2] })
      expect(status).toBe(200)
      expect(await storedDigest(second, json.data?.id)).toEqual({
        sha256: sha256(source),
        filesize: 3000,
      })
    })
  })

  it('keeps completed files: listed, described and served after a restart', async () => {
    const options = { dataDir, signingSecret: 'kept', apiKey: 'key' }
    const bytes = randomBytes(500)
    const media = await withServer(options, (first) =>
      upload(first, bytes, { folder: 'kept', filename: 'a.bin' }),
    )
    const sources = media.sources as Array<{ id: string }>
    await withServer(options, async (second) => {
      const { json } = await api(second, 'GET', `/files/${sources[0]?.id}`)
      expect(json.data).toMatchObject({ filesize: 500, url: `${second.origin}/kept/a.bin` })
      const served = await fetch(`${second.origin}/kept/a.bin`)
      expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true)
    })
  })

  it('refuses the old keys when the signing secret changed (403)', async () => {
    const url = await withServer({ dataDir, signingSecret: 'one', apiKey: 'key' }, createSession)
    await withServer({ dataDir, signingSecret: 'two' }, async (second) => {
      const moved = url.replace(/^http:\/\/[^/]+/, second.origin)
      expect((await putPart(moved, 0, 'x')).status).toBe(403)
    })
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
    const url = await createSession({ server, origin: await server.listen() })
    const pending = partialPut(url, 1000, 'stall')
    await sleep(50)
    await server.close()
    expect(await pending).toMatch(/^error/)
  })
})

describe('interrupted part bodies', () => {
  const running = testServer({ apiKey: 'key', bodyTimeoutMs: 150 })

  it('cuts a body that sends nothing for bodyTimeoutMs and keeps nothing of it', async () => {
    const url = await createSession(running)
    const started = Date.now()
    expect(await partialPut(url, 1000, 'stall')).toMatch(/^error/)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(await completionMessage(url)).toBe('Part 0 was never received by the server')
    expect(await readdir(sessionDir(running.server.dataDir, url))).toEqual(['parts'])
  })

  it('keeps nothing of a part whose client went away mid-body', async () => {
    const url = await createSession(running)
    expect(await partialPut(url, 1000, 'abort')).toMatch(/^error/)
    await sleep(50)
    expect(await completionMessage(url)).toBe('Part 0 was never received by the server')
    expect(await readdir(join(sessionDir(running.server.dataDir, url), 'parts'))).toEqual([])
    expect(await readdir(sessionDir(running.server.dataDir, url))).toEqual(['parts'])
  })

  it('refuses at once a part whose declared length is far over maxPartSize (413)', async () => {
    const url = await createSession(running)
    const declared = 512 * 1024 * 1024 + 64 * 1024 * 1024 + 1
    expect(await partialPut(url, declared, 'wait')).toBe('status 413')
  })

  it('records every part of a burst of parallel PUTs', async () => {
    const url = await createSession(running)
    const indexes = Array.from({ length: 40 }, (_, i) => i)
    const parts = await Promise.all(indexes.map((i) => putPartOk(url, i, randomBytes(100))))
    expect((await complete(url, { parts })).status).toBe(200)
  })
})
