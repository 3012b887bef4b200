import { describe, expect, it } from 'vitest'
import { parseRange } from '../../src/server/http/range.ts'
import type { FileObject } from '../../src/server/index.ts'
import { complete, createSession, fixture, putPartOk, testServer, upload } from './helpers.ts'

const running = testServer()
const DIGITS = '0123456789abcdefghij'

async function fileWith(bytes: Uint8Array | string, filename?: string): Promise<FileObject> {
  const media = await upload(running, bytes, filename ? { filename } : {})
  return (media.sources as FileObject[])[0] as FileObject
}

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers })

describe('serving a file at its URL', () => {
  it('sends the bytes with their type, length, validators and caching headers', async () => {
    const png = fixture('image-64x48.png')
    const file = await fileWith(png, 'pic.png')
    const response = await get(file.url)
    expect(response.status).toBe(200)
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(png.length),
      'accept-ranges': 'bytes',
      etag: `"${file.id}"`,
      'cache-control': 'public, no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': expect.stringContaining('sandbox'),
    })
  })

  it('answers HEAD with the headers only', async () => {
    const file = await fileWith(DIGITS)
    const response = await fetch(file.url, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe('20')
    expect(await response.text()).toBe('')
  })

  it.each([
    ['text/html', '<!doctype html><script>alert(1)</script>', 'page.html'],
    ['an SVG', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'x.svg'],
    ['XML', '<?xml version="1.0"?><a/>', 'data.xml'],
    ['an unknown type', 'whatever this is', 'blob.bin'],
  ])('sends %s as a download, never as a page of this origin', async (_name, body, filename) => {
    const file = await fileWith(body, filename)
    const response = await get(file.url)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${filename}"; filename*=UTF-8''${filename}`,
    )
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe(body)
  })

  it('quotes any filename safely in Content-Disposition', async () => {
    const file = await fileWith('x', 'naïve "quote".bin')
    expect((await get(file.url)).headers.get('content-disposition')).toBe(
      `attachment; filename="na_ve _quote_.bin"; filename*=UTF-8''na%C3%AFve%20%22quote%22.bin`,
    )
  })
})

describe('Range requests', () => {
  it.each([
    ['bytes=0-9', '0123456789', 'bytes 0-9/20'],
    ['bytes=-5', 'fghij', 'bytes 15-19/20'],
    ['bytes=10-', 'abcdefghij', 'bytes 10-19/20'],
    ['bytes=15-100', 'fghij', 'bytes 15-19/20'],
    ['bytes=-50', DIGITS, 'bytes 0-19/20'],
  ])('answers %s with 206 and that slice', async (range, body, contentRange) => {
    const file = await fileWith(DIGITS)
    const response = await get(file.url, { Range: range })
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe(contentRange)
    expect(response.headers.get('content-length')).toBe(String(body.length))
    expect(await response.text()).toBe(body)
  })

  it('reads a range across the parts of a resumable upload', async () => {
    const media = await uploadInParts(['01234', '56789', 'abcde', 'fghij'])
    const url = (media.sources as FileObject[])[0]?.url as string
    const response = await get(url, { Range: 'bytes=3-12' })
    expect(await response.text()).toBe('3456789abc')
  })

  it.each([['bytes=20-'], ['bytes=100-200'], ['bytes=-0']])(
    'answers %s, past the end, with 416 and the size',
    async (range) => {
      const file = await fileWith(DIGITS)
      const response = await get(file.url, { Range: range })
      expect(response.status).toBe(416)
      expect(response.headers.get('content-range')).toBe('bytes */20')
      const json = (await response.json()) as { error: { message: string } }
      expect(json.error.message).toMatch(/20 bytes/)
    },
  )

  it.each([['bytes=0-1,5-6'], ['bytes=5-2'], ['items=0-1'], ['bytes=x-y']])(
    'answers %s (several ranges, or one it ignores) with the whole file',
    async (range) => {
      const file = await fileWith(DIGITS)
      const response = await get(file.url, { Range: range })
      expect(response.status).toBe(200)
      expect(await response.text()).toBe(DIGITS)
    },
  )

  it('ignores the range when If-Range names other bytes', async () => {
    const file = await fileWith(DIGITS)
    const stale = await get(file.url, { Range: 'bytes=0-1', 'If-Range': '"file_other"' })
    expect(stale.status).toBe(200)
    const fresh = await get(file.url, { Range: 'bytes=0-1', 'If-Range': `"${file.id}"` })
    expect(fresh.status).toBe(206)
  })
})

describe('conditional GET', () => {
  it('answers 304 with no body when If-None-Match holds the ETag', async () => {
    const file = await fileWith(DIGITS)
    const etag = (await get(file.url)).headers.get('etag') as string
    for (const header of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const response = await get(file.url, { 'If-None-Match': header })
      expect(response.status).toBe(304)
      expect(response.headers.get('etag')).toBe(etag)
      expect(await response.text()).toBe('')
    }
    expect((await get(file.url, { 'If-None-Match': '"other"' })).status).toBe(200)
  })
})

describe('parseRange()', () => {
  it('treats every range of an empty file as unsatisfiable', () => {
    expect(parseRange('bytes=0-', 0)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-1', 0)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange(undefined, 0)).toEqual({ kind: 'whole' })
  })
})

async function uploadInParts(chunks: string[]) {
  const url = await createSession(running)
  const parts = await Promise.all(chunks.map((chunk, i) => putPartOk(url, i, chunk)))
  return (await complete(url, { parts })).json.data as Record<string, unknown>
}
