import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPublicAddress } from '../../src/server/files/address-policy.ts'
import { fetchToFile } from '../../src/server/files/remote.ts'
import type { FileObject } from '../../src/server/index.ts'
import { api, fixture, type Running, send, testServer } from './helpers.ts'

const PNG = fixture('image-64x48.png')

/** A second local server: the "remote" side of POST /files. */
let remote: Server
let remoteOrigin: string
beforeAll(async () => {
  remote = createServer((req, res) => {
    const path = req.url ?? '/'
    if (path === '/pics/photo.png') return res.end(PNG)
    if (path === '/redirect') return res.writeHead(302, { Location: '/pics/photo.png' }).end()
    if (path === '/redirect-file') {
      return res.writeHead(302, { Location: 'file:///etc/passwd' }).end()
    }
    if (path === '/redirect-private') {
      // 127.0.0.2 stands for a private address: tests mark only 127.0.0.1 as public.
      const port = (remote.address() as AddressInfo).port
      return res.writeHead(307, { Location: `http://127.0.0.2:${port}/pics/photo.png` }).end()
    }
    if (path === '/loop') return res.writeHead(302, { Location: '/loop' }).end()
    if (path === '/declared-big') {
      res.writeHead(200, { 'Content-Length': '20000' })
      return res.end(Buffer.alloc(20000))
    }
    if (path === '/streamed-big') {
      res.writeHead(200)
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1000))
      return res.end()
    }
    if (path === '/slow') return res.writeHead(200, { 'Content-Length': '10' }).write('x')
    res.writeHead(404).end('not here')
  })
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve))
  remoteOrigin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`
})
afterAll(async () => {
  remote.closeAllConnections()
  await new Promise((resolve) => remote.close(resolve))
})

const limits = { maxFetchSize: 10_000, fetchTimeoutMs: 400 }
const open = testServer({ ...limits, allowPrivateUrls: true })
const strict = testServer(limits)

const postFile = (running: Running, body: unknown) =>
  api<FileObject>(running, 'POST', '/files', body)

async function fetchedLeftovers(running: Running): Promise<string[]> {
  return readdir(join(running.server.dataDir, 'fetched')).catch(() => [])
}

describe('POST /files from a URL (allowPrivateUrls)', () => {
  it('fetches the file and answers 201 with the file object, read from the bytes', async () => {
    const { status, json } = await postFile(open, {
      url: `${remoteOrigin}/pics/photo.png`,
      folder: 'imports',
      metadata: { source: 'test' },
    })
    expect(status).toBe(201)
    expect(json.data).toMatchObject({
      id: expect.stringMatching(/^file_/),
      media_id: expect.stringMatching(/^med_/),
      kind: 'image',
      type: 'image/png',
      format: 'png',
      width: 64,
      height: 48,
      filesize: PNG.length,
      folder: 'imports',
      // The filename comes from the URL when none is given.
      filename: 'photo.png',
      url: `${open.origin}/imports/photo.png`,
      original: true,
      metadata: { source: 'test' },
    })
    const served = await fetch(`${open.origin}/imports/photo.png`)
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true)
  })

  it('follows redirects', async () => {
    const { status, json } = await postFile(open, { url: `${remoteOrigin}/redirect` })
    expect(status).toBe(201)
    expect(json.data?.filesize).toBe(PNG.length)
  })

  it('adds the file to an existing media as a labelled source', async () => {
    const first = await postFile(open, { url: `${remoteOrigin}/pics/photo.png` })
    const mediaId = first.json.data?.media_id
    const { json } = await postFile(open, {
      url: `${remoteOrigin}/pics/photo.png`,
      media_id: mediaId,
      label: 'thumbnail',
      filename: 'thumb.png',
    })
    expect(json.data).toMatchObject({ media_id: mediaId, ref: 'thumbnail', original: false })
    expect((await postFile(open, { url: `${remoteOrigin}/x`, media_id: 'med_none' })).status).toBe(
      404,
    )
  })

  it.each([
    ['the file is over maxFetchSize, as declared', '/declared-big', 413],
    ['the file grows past maxFetchSize while streaming', '/streamed-big', 413],
    ['the URL answers 404', '/missing', 502],
    ['the URL redirects without end', '/loop', 502],
    ['the URL does not finish within fetchTimeoutMs', '/slow', 504],
  ])('refuses when %s, keeping nothing', async (_name, path, expected) => {
    const { status, json } = await postFile(open, { url: `${remoteOrigin}${path}` })
    expect(status).toBe(expected)
    expect(json.error?.message.length).toBeGreaterThan(10)
    expect(await fetchedLeftovers(open)).toHaveLength(
      (await api(open, 'GET', '/files?limit=100')).json.meta.total ?? 0,
    )
  })

  it.each([
    ['file:///etc/passwd'],
    ['ftp://example.com/a.png'],
    ['data:text/plain,hello'],
    ['javascript:alert(1)'],
    ['not a url'],
  ])('refuses %s: http and https only (400)', async (url) => {
    const { status, json } = await postFile(open, { url })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/http or https|valid absolute URL/)
  })

  it('refuses a redirect to another scheme (400)', async () => {
    const { status, json } = await postFile(open, { url: `${remoteOrigin}/redirect-file` })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/redirect target must be http or https/)
  })

  it.each([
    ['no body', undefined],
    ['no url', { filename: 'a.png' }],
    ['a url that is not a string', { url: 3 }],
    ['a traversing folder', { url: `${remoteOrigin}/pics/photo.png`, folder: '../up' }],
  ])('refuses %s with 400', async (_name, body) => {
    expect((await postFile(open, body)).status).toBe(400)
  })
})

describe('POST /files without allowPrivateUrls', () => {
  it.each([
    ['loopback by address', (port: string) => `http://127.0.0.1:${port}/pics/photo.png`],
    ['loopback by name', (port: string) => `http://localhost:${port}/pics/photo.png`],
    ['IPv6 loopback', (port: string) => `http://[::1]:${port}/pics/photo.png`],
    ['IPv4-mapped loopback', (port: string) => `http://[::ffff:127.0.0.1]:${port}/x`],
    ['loopback in decimal', (port: string) => `http://2130706433:${port}/x`],
  ])('refuses %s (400), before connecting', async (_name, makeUrl) => {
    const port = new URL(remoteOrigin).port
    const { status, json } = await postFile(strict, { url: makeUrl(port) })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/loopback, private or reserved address/)
  })

  it('needs the API key like every API route (401)', async () => {
    const { status } = await api(strict, 'POST', '/files', { url: remoteOrigin }, null)
    expect(status).toBe(401)
  })
})

describe('fetchToFile()', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partwise-fetch-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))
  const options = { allowPrivate: false, maxBytes: 100_000, timeoutMs: 2000 }
  // Pretends 127.0.0.1 is public, so the refusals below are reached with loopback traffic only.
  const isPublic = (address: string) => address === '127.0.0.1'

  it('refuses a redirect to a private address, without connecting to it', async () => {
    const attempt = fetchToFile(`${remoteOrigin}/redirect-private`, join(dir, 'a'), {
      ...options,
      isPublic,
    })
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/resolves to 127\.0\.0\.2/),
    })
  })

  it('checks every address a name resolves to', async () => {
    const resolve = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ]
    const attempt = fetchToFile('http://two-faced.test/x', join(dir, 'b'), {
      ...options,
      isPublic: (address: string) => address === '127.0.0.1' || isPublicAddress(address),
      resolve,
    })
    await expect(attempt).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/10\.1\.2\.3/),
    })
  })

  it('connects to the addresses it checked, not to a second DNS answer', async () => {
    // Resolved once to 127.0.0.1: the Host header keeps the name, the socket the address.
    const port = new URL(remoteOrigin).port
    const fetched = await fetchToFile(`http://pinned.test:${port}/pics/photo.png`, join(dir, 'c'), {
      ...options,
      isPublic,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    expect(fetched.size).toBe(PNG.length)
  })
})

describe('the fetched bytes', () => {
  it('are typed by their content, not by the name they are given', async () => {
    const page = await postFile(open, { url: `${remoteOrigin}/pics/photo.png`, filename: 'p.html' })
    const served = await send(String(page.json.data?.url))
    expect(served.response.headers.get('content-type')).toBe('image/png')
  })
})
