import type { AddressInfo } from 'node:net'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partwiseServer } from '../../src/server/dev/vite-plugin.ts'
import type { FileObject } from '../../src/server/index.ts'
import { complete, type Envelope, putPartOk } from './helpers.ts'

const CONDITIONS = [{ prop: 'filesize', operator: '<=', value: 1000 }] as const

/** The port a started Vite dev server listens on. */
function portOf(server: ViteDevServer): number {
  const address = server.httpServer?.address()
  if (!address || typeof address === 'string') throw new Error('Vite is not listening')
  return (address as AddressInfo).port
}

let vite: ViteDevServer
let viteOrigin: string
beforeAll(async () => {
  vite = await createServer({
    configFile: false,
    logLevel: 'silent',
    server: { port: 0, host: '127.0.0.1' },
    plugins: [
      partwiseServer({
        apiKey: 'plugin-secret-key',
        sessionRoute: '/api/upload-session',
        filesRoute: '/api/files',
        session: { resumable: true, folder: 'demo', conditions: [...CONDITIONS] },
      }),
    ],
  })
  await vite.listen()
  viteOrigin = `http://127.0.0.1:${portOf(vite)}`
}, 30_000)
afterAll(() => vite?.close())

async function uploadServerUrl(): Promise<string> {
  const code = await (await fetch(`${viteOrigin}/@id/__x00__virtual:partwise-server`)).text()
  const match = /export const url = "(http:\/\/127\.0\.0\.1:\d+)"/.exec(code)
  expect(code).not.toContain('plugin-secret-key')
  return match?.[1] ?? ''
}

describe('partwiseServer() (Vite plugin)', () => {
  it('serves the upload server origin, and not the API key, as virtual:partwise-server', async () => {
    const url = await uploadServerUrl()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url).not.toBe(viteOrigin)
  })

  it('mounts a session route that answers a working upload URL, the key kept server-side', async () => {
    const response = await fetch(`${viteOrigin}/api/upload-session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: 'from-browser.txt', folder: 'ignored' }),
    })
    expect(response.status).toBe(200)
    const session = (await response.json()) as { url: string; conditions: unknown; expires: string }
    expect(session).toEqual({
      url: expect.stringContaining(`${await uploadServerUrl()}/store/resumable?key=`),
      conditions: CONDITIONS,
      expires: expect.any(String),
    })
    const part = await putPartOk(session.url, 0, 'hello from the demo')
    const { status, json } = await complete(session.url, { parts: [part] })
    expect(status).toBe(200)
    // The browser chose the filename; the folder is the server's.
    expect(json.data).toMatchObject({ filename: 'from-browser.txt', folder: 'demo' })
  })

  it('answers the session route with the error and its status when the server refuses', async () => {
    const response = await fetch(`${viteOrigin}/api/upload-session`, { method: 'POST', body: '{' })
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /JSON/,
    )
    expect((await fetch(`${viteOrigin}/api/upload-session`)).status).toBe(405)
  })

  it('mounts a files route that lists the files with the key', async () => {
    const response = await fetch(`${viteOrigin}/api/files?limit=5`)
    expect(response.status).toBe(200)
    const json = (await response.json()) as Envelope<FileObject[]>
    expect(json.meta).toMatchObject({ type: 'list', limit: 5 })
    expect(json.data?.some((file) => file.filename === 'from-browser.txt')).toBe(true)
  })
})

/** A Vite dev server on 127.0.0.1:0 with `plugin`, and the reference server origin it serves. */
async function devServer(plugin: ReturnType<typeof partwiseServer>) {
  const server = await createServer({
    configFile: false,
    logLevel: 'silent',
    server: { port: 0, host: '127.0.0.1' },
    plugins: [plugin],
  })
  await server.listen()
  const code = await (
    await fetch(`http://127.0.0.1:${portOf(server)}/@id/__x00__virtual:partwise-server`)
  ).text()
  return { server, url: /"(http:\/\/127\.0\.0\.1:\d+)"/.exec(code)?.[1] ?? '' }
}

describe('closing Vite', () => {
  it('runs one reference server for every dev server of one plugin, until the last closes', {
    timeout: 30_000,
  }, async () => {
    const plugin = partwiseServer()
    const first = await devServer(plugin)
    const second = await devServer(plugin)
    try {
      expect(second.url).toBe(first.url)
      await first.server.close()
      expect((await fetch(`${first.url}/nothing`)).status).toBe(404)
      await second.server.close()
      await expect(fetch(`${first.url}/nothing`)).rejects.toThrow()
    } finally {
      await first.server.close()
      await second.server.close()
    }
  })

  it('closes the upload server with it', { timeout: 30_000 }, async () => {
    const other = await createServer({
      configFile: false,
      logLevel: 'silent',
      server: { port: 0, host: '127.0.0.1' },
      plugins: [partwiseServer()],
    })
    try {
      await other.listen()
      const port = portOf(other)
      const code = await (
        await fetch(`http://127.0.0.1:${port}/@id/__x00__virtual:partwise-server`)
      ).text()
      const url = /"(http:\/\/127\.0\.0\.1:\d+)"/.exec(code)?.[1] ?? ''
      expect((await fetch(`${url}/nothing`)).status).toBe(404)
      await other.close()
      await expect(fetch(`${url}/nothing`)).rejects.toThrow()
    } finally {
      await other.close()
    }
  })
})

describe('the session route with no session option', () => {
  it("answers a resumable upload URL, the client's default mode, for the README's getUploadUrl body", {
    timeout: 30_000,
  }, async () => {
    const { server } = await devServer(partwiseServer({ sessionRoute: '/api/upload-session' }))
    try {
      const route = `http://127.0.0.1:${portOf(server)}/api/upload-session`
      const ask = async (body: unknown) =>
        (await (
          await fetch(route, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          })
        ).json()) as { url: string }
      expect((await ask({ name: 'photo.png' })).url).toContain('/store/resumable?key=')
      // A browser that uploads in one request still gets its simple URL.
      expect((await ask({ resumable: false })).url).not.toContain('/store/resumable?')
    } finally {
      await server.close()
    }
  })
})
