import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  complete,
  control,
  createSession,
  type Part,
  putPartOk,
  setFaults,
  sha256,
  sleep,
  storedDigest,
  testServer,
} from './helpers.ts'

const running = testServer({ control: true })

beforeEach(async () => {
  await control(running, 'POST', 'reset')
})

/** A resumable session and the folder its part files live in. */
async function newSession(): Promise<{ url: string; partsDir: () => string[] }> {
  const root = join(running.server.dataDir, 'sessions')
  const list = () => (existsSync(root) ? readdirSync(root) : [])
  const before = new Set(list())
  const url = await createSession(running)
  const fresh = list().filter((name) => !before.has(name))
  expect(fresh).toHaveLength(1)
  const dir = join(root, fresh[0] as string, 'parts')
  return { url, partsDir: () => readdirSync(dir).sort() }
}

interface RawPut {
  readonly socket: Socket
  /** Sends the body's remaining bytes. */
  sendRest(): void
  /** Everything the server sent, once the connection closed. */
  readonly answer: Promise<string>
}

/**
 * A part PUT over a raw socket that sends the headers and all but `held` bytes of the body,
 * so the test decides when (and whether) the body completes: a slow proxy, a late original.
 */
function rawPut(url: string, index: number, body: Buffer, held: number): RawPut {
  const target = new URL(url)
  const socket = connect(Number(target.port), target.hostname)
  const head = [
    `PUT ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Content-Type: application/octet-stream',
    `X-Upload-Index: ${index}`,
    `Content-Length: ${body.length}`,
    'Connection: close',
    '',
    '',
  ].join('\r\n')
  socket.write(head)
  socket.write(body.subarray(0, body.length - held))
  const answer = new Promise<string>((resolve) => {
    const chunks: Buffer[] = []
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
  return {
    socket,
    sendRest: () => socket.write(body.subarray(body.length - held)),
    answer,
  }
}

/** The part object of a raw answer. */
function partOf(answer: string): Part {
  expect(answer).toMatch(/^HTTP\/1\.1 200 /)
  const json = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { data: Part }
  return json.data
}

async function expectStored(url: string, parts: Part[], bytes: Buffer) {
  const { status, json } = await complete(url, { parts })
  expect(status, json.error?.message).toBe(200)
  expect(await storedDigest(running, json.data?.id)).toEqual({
    sha256: sha256(bytes),
    filesize: bytes.length,
  })
}

describe('a part whose original arrives after its re-sent copy', () => {
  it('does not store the body of a request the client aborted', async () => {
    const { url, partsDir } = await newSession()
    const original = randomBytes(20_000)
    const resent = randomBytes(20_000)
    // The original's body is all but one byte through when the client gives up on it.
    const late = rawPut(url, 0, original, 1)
    await sleep(50)
    const fresh = await putPartOk(url, 0, resent)
    // Its last byte arrives, then the connection ends: the client will never read an answer.
    late.sendRest()
    late.socket.end()
    expect(await late.answer).toBe('')
    await sleep(200)
    expect(partsDir()).toEqual([`0.${fresh.etag}`])
    await expectStored(url, [fresh], resent)
  })

  it('does not store a body read after a latency fault the client aborted during', async () => {
    const { url, partsDir } = await newSession()
    await setFaults(running, [{ method: 'PUT', index: 0, latencyMs: 400, times: 1 }])
    const original = randomBytes(20_000)
    const resent = randomBytes(20_000)
    const aborted = rawPut(url, 0, original, 0)
    await sleep(100)
    aborted.socket.destroy()
    const fresh = await putPartOk(url, 0, resent)
    await sleep(500)
    expect(partsDir()).toEqual([`0.${fresh.etag}`])
    await expectStored(url, [fresh], resent)
  })

  it('completes with the re-sent etag when the late original was stored after it', async () => {
    const { url, partsDir } = await newSession()
    const original = randomBytes(30_000)
    const resent = randomBytes(30_000)
    const tail = randomBytes(5_000)
    // A slow proxy: the original is still connected and gets its answer, after the copy's.
    const late = rawPut(url, 0, original, 1)
    await sleep(50)
    const fresh = await putPartOk(url, 0, resent)
    late.sendRest()
    const stale = partOf(await late.answer)
    expect(stale.etag).not.toBe(fresh.etag)
    const last = await putPartOk(url, 1, tail)
    expect(partsDir()).toHaveLength(3)

    await expectStored(url, [fresh, last], Buffer.concat([resent, tail]))
    // Only the versions the media reads are left.
    expect(partsDir()).toEqual([`0.${fresh.etag}`, `1.${last.etag}`].sort())
  })

  it('completes with any held version, the newest or an older one', async () => {
    const first = await newSession()
    const a = await putPartOk(first.url, 0, 'first bytes')
    await putPartOk(first.url, 0, 'second bytes')
    await expectStored(first.url, [a], Buffer.from('first bytes'))
    expect(first.partsDir()).toEqual([`0.${a.etag}`])

    const second = await newSession()
    await putPartOk(second.url, 0, 'first bytes')
    const b = await putPartOk(second.url, 0, 'second bytes')
    await expectStored(second.url, [b], Buffer.from('second bytes'))
  })

  it('keeps at most the last 3 versions of a part', async () => {
    const { url, partsDir } = await newSession()
    const sent: Part[] = []
    for (let i = 0; i < 5; i++) sent.push(await putPartOk(url, 0, `version ${i}`))
    expect(partsDir()).toEqual(
      sent
        .slice(2)
        .map((part) => `0.${part.etag}`)
        .sort(),
    )
    for (const evicted of sent.slice(0, 2)) {
      const { status, json } = await complete(url, { parts: [evicted] })
      expect(status).toBe(400)
      expect(json.error?.message).toBe("Part 0's etag does not match the part the server holds")
    }
    await expectStored(url, [sent[2] as Part], Buffer.from('version 2'))
    expect(partsDir()).toEqual([`0.${sent[2]?.etag}`])
  })
})
