import { request } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createUploadServer } from '../../src/server/index.ts'
import { complete, createSession, putPartOk, send, testServer } from './helpers.ts'

/** What running behind a load balancer needs of one node: its public URL, health, shutdown. */
describe('a node behind a load balancer', () => {
  const behind = testServer({ publicUrl: 'https://uploads.example.com:8443' })

  it('builds upload URLs and file URLs on --public-url, not on its own address', async () => {
    const url = await createSession(behind)
    expect(new URL(url).origin).toBe('https://uploads.example.com:8443')
    // The URL's path and key still work when sent to the node itself (the balancer's job).
    const local = `${behind.origin}${new URL(url).pathname}${new URL(url).search}`
    const part = await putPartOk(local, 0, 'hello')
    const media = await complete(local, { parts: [part] })
    const source = (media.json.data as { sources: Array<{ url: string }> }).sources[0]
    expect(new URL(source?.url as string).origin).toBe('https://uploads.example.com:8443')
  })

  it('refuses a public URL with a path, and a database that is not PostgreSQL', () => {
    expect(() => createUploadServer({ publicUrl: 'https://lb.example/uploads' })).toThrow(
      /origin only/,
    )
    expect(() => createUploadServer({ database: 'mysql://db/x' })).toThrow(/postgres:\/\//)
  })

  it('answers GET /healthz with 200 while its database and store answer', async () => {
    const health = await send<{ status: string; checks: Record<string, string> }>(
      `${behind.origin}/healthz`,
    )
    expect(health.status).toBe(200)
    expect(health.json.data).toEqual({ status: 'ready', checks: { database: 'ok', store: 'ok' } })
  })
})

/** Sends half a part, then calls `close`, then the rest: the answer, or the error that cut it. */
async function partAcrossClose(
  graceMs: number | undefined,
): Promise<{ answer: number | string; stillOpen: boolean }> {
  const server = createUploadServer()
  const origin = await server.listen()
  const url = new URL(await createSession({ server, origin }))
  const body = Buffer.alloc(256 * 1024, 7)
  let req: ReturnType<typeof request> | undefined
  const answer = new Promise<number | string>((resolve) => {
    req = request(`${origin}${url.pathname}${url.search}`, {
      method: 'PUT',
      headers: { 'X-Upload-Index': '0', 'Content-Length': String(body.length) },
    })
    req.on('response', (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'))
  })
  req?.write(body.subarray(0, body.length / 2))
  await new Promise((resolve) => setTimeout(resolve, 200))
  const closed = server.close(graceMs === undefined ? undefined : { graceMs })
  await new Promise((resolve) => setTimeout(resolve, 200))
  // Taking no new connection while the part finishes.
  const stillOpen = await fetch(`${origin}/healthz`).then(
    () => true,
    () => false,
  )
  req?.end(body.subarray(body.length / 2))
  const result = await answer
  await closed
  return { answer: result, stillOpen }
}

describe('close({ graceMs })', () => {
  it('lets a part in flight finish, taking no new connection meanwhile', async () => {
    expect(await partAcrossClose(10_000)).toEqual({ answer: 200, stillOpen: false })
  })

  it('cuts a part in flight without a grace period', async () => {
    const { answer } = await partAcrossClose(undefined)
    expect(answer).not.toBe(200)
  })
})
