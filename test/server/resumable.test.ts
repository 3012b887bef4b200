import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  complete,
  createSession,
  fixture,
  putPart as put,
  putPartOk as putOk,
  sha256,
  storedDigest,
  testServer,
} from './helpers.ts'

const KiB = 1024
const running = testServer({ control: true, maxPartSize: 64 * KiB, maxFileSize: 300 * KiB })

const newSession = (body: Record<string, unknown> = {}) =>
  createSession(running, { resumable: true, ...body })
const digest = (mediaId: unknown) => storedDigest(running, mediaId)
/** A real PNG: file-type checks the chunks after the signature. */
const PNG = fixture('image-64x48.png')

describe('PUT /store/resumable', () => {
  it('stores a part and answers its index and an opaque etag, also as the ETag header', async () => {
    const url = await newSession()
    const { response, json } = await put(url, 0, 'hello')
    expect(response.status).toBe(200)
    expect(json.data).toEqual({ index: 0, etag: expect.any(String) })
    expect(response.headers.get('etag')).toBe(`"${String(json.data?.etag)}"`)
  })

  it('gives a fresh etag every time, even for the same bytes', async () => {
    const url = await newSession()
    const first = await putOk(url, 0, 'same')
    const second = await putOk(url, 0, 'same')
    expect(first.etag).not.toBe(second.etag)
  })

  it.each([
    ['a missing header', null],
    ['a negative number', '-1'],
    ['a fraction', '1.5'],
    ['an exponent', '1e3'],
    ['hex', '0x10'],
    ['leading zeros', '007'],
    ['a word', 'first'],
    ['an empty value', ''],
    ['more than 100000', '100001'],
  ])('refuses X-Upload-Index with %s with 400', async (_name, value) => {
    const url = await newSession()
    const { response, json } = await put(url, value, 'x')
    expect(response.status).toBe(400)
    expect(json.error?.message).toMatch(/X-Upload-Index/)
  })

  it('accepts index 100000', async () => {
    const url = await newSession()
    expect((await put(url, 100_000, 'x')).response.status).toBe(200)
  })

  it('refuses a part over maxPartSize with 413 and keeps nothing of it', async () => {
    const url = await newSession()
    const { response, json } = await put(url, 0, randomBytes(64 * KiB + 1))
    expect(response.status).toBe(413)
    expect(json.error?.message).toMatch(/Part 0 is larger than/)
    const done = await complete(url, { parts: [{ index: 0, etag: 'x' }] })
    expect(done.json.error?.message).toBe('Part 0 was never received by the server')
  })

  it('accepts a part of exactly maxPartSize', async () => {
    const url = await newSession()
    expect((await put(url, 0, randomBytes(64 * KiB))).response.status).toBe(200)
  })
})

describe('POST /store/resumable (completion)', () => {
  it('assembles parts sent in any order and in parallel into the original bytes', async () => {
    const url = await newSession({ filename: 'clip.bin', folder: 'f', metadata: { a: 1 } })
    const source = randomBytes(150 * KiB + 123)
    const size = 32 * KiB
    const chunks = Array.from({ length: Math.ceil(source.length / size) }, (_, i) =>
      source.subarray(i * size, (i + 1) * size),
    )
    const order = chunks.map((_, i) => i).reverse()
    const parts = await Promise.all(order.map((i) => putOk(url, i, chunks[i] as Uint8Array)))
    const { response, json } = await complete(url, { parts })
    expect(response.status).toBe(200)
    expect(json.data).toMatchObject({
      object: 'media',
      filesize: source.length,
      kind: null,
      type: 'application/octet-stream',
      width: null,
      height: null,
      duration: null,
      filename: 'clip.bin',
      folder: 'f',
      metadata: { a: 1 },
      status: 'active',
    })
    expect(json.data?.id).toMatch(/^med_/)
    expect(await digest(json.data?.id)).toEqual({ sha256: sha256(source), filesize: source.length })
  })

  it('answers the media object with one original source that serves the bytes', async () => {
    const url = await newSession()
    const bytes = PNG
    const part = await putOk(url, 0, bytes)
    const { json } = await complete(url, { parts: [part] })
    const media = json.data as { sources: Array<Record<string, unknown>>; created: string }
    expect(media).toMatchObject({ kind: 'image', type: 'image/png', width: 64, height: 48 })
    expect(media.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(media.sources).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^file_/),
        media_id: json.data?.id,
        object: 'source',
        label: 'original',
        original: true,
        url: expect.stringMatching(/\/file_[\w-]+$/),
        type: 'image/png',
        format: 'png',
        filesize: bytes.length,
      }),
    ])
    for (const url of [media.sources[0]?.url, `${running.origin}/${json.data?.id}/original`]) {
      const original = await fetch(String(url))
      expect(original.headers.get('content-type')).toBe('image/png')
      expect(Buffer.from(await original.arrayBuffer()).equals(bytes)).toBe(true)
    }
  })

  it('uploads an empty file as one empty part 0', async () => {
    const url = await newSession({ filename: 'empty.txt' })
    const part = await putOk(url, 0, new Uint8Array(0))
    const { response, json } = await complete(url, { parts: [part] })
    expect(response.status).toBe(200)
    expect(json.data).toMatchObject({ filesize: 0, type: 'text/plain', kind: null })
    expect(await digest(json.data?.id)).toEqual({ sha256: sha256(new Uint8Array(0)), filesize: 0 })
  })

  it('replaces a part that is sent twice: the new etag counts, with the new bytes', async () => {
    const url = await newSession()
    await putOk(url, 0, 'old bytes')
    const fresh = await putOk(url, 0, 'new')
    const refused = await complete(url, { parts: [{ index: 0, etag: 'never-issued' }] })
    expect(refused.response.status).toBe(400)
    expect(refused.json.error?.message).toBe(
      "Part 0's etag does not match the part the server holds",
    )
    const { json } = await complete(url, { parts: [fresh] })
    expect(await digest(json.data?.id)).toEqual({
      sha256: sha256(Buffer.from('new')),
      filesize: 3,
    })
  })

  it.each([
    ['no parts', { parts: [] }, /part list is empty/],
    ['no parts field', {}, /must be \{"parts"/],
    ['a gap', 'gap', /^Part 1 is missing$/],
    ['a duplicate', 'dup', /^Part 0 is listed more than once$/],
    ['a wrong etag', 'etag', /^Part 1's etag does not match the part the server holds$/],
    ['a part never sent', 'unsent', /^Part 2 was never received by the server$/],
    ['a negative index', { parts: [{ index: -1, etag: 'x' }] }, /whole number/],
    ['a missing etag', { parts: [{ index: 0 }] }, /^Part 0 has no etag$/],
  ])('refuses a part list with %s with 400 naming the problem', async (_name, shape, message) => {
    const url = await newSession()
    const p0 = await putOk(url, 0, 'a')
    const p1 = await putOk(url, 1, 'b')
    const bodies: Record<string, unknown> = {
      gap: { parts: [p0, { index: 2, etag: 'x' }] },
      dup: { parts: [p0, p0, p1] },
      etag: { parts: [p0, { index: 1, etag: `${p1.etag}x` }] },
      unsent: { parts: [p0, p1, { index: 2, etag: 'x' }] },
    }
    const body = typeof shape === 'string' ? bodies[shape] : shape
    const { response, json } = await complete(url, body)
    expect(response.status).toBe(400)
    expect(json.error?.message).toMatch(message)
    // A refused completion does not spend the key.
    expect((await complete(url, { parts: [p0, p1] })).response.status).toBe(200)
  })

  it('refuses malformed JSON with 400', async () => {
    const url = await newSession()
    const { response, json } = await complete(url, '{"parts": [')
    expect(response.status).toBe(400)
    expect(json.error?.message).toBe('The request body is not valid JSON')
  })

  it('refuses a file over maxFileSize with 413', async () => {
    const url = await newSession()
    const parts = await Promise.all(
      [0, 1, 2, 3, 4].map((i) => putOk(url, i, randomBytes(64 * KiB))),
    )
    const { response } = await complete(url, { parts })
    expect(response.status).toBe(413)
  })

  it('refuses a file the session conditions reject with 422', async () => {
    const url = await newSession({
      conditions: { operator: '&&', rules: [{ key: 'filesize', operator: '<=', value: 4 }] },
    })
    const part = await putOk(url, 0, 'too long')
    const { response, json } = await complete(url, { parts: [part] })
    expect(response.status).toBe(422)
    expect(json.error?.message).toMatch(/The file is 8 bytes; the limit is 4 bytes/)
  })

  it('takes the type from the first bytes before the filename', async () => {
    const url = await newSession({ filename: 'song.mp3' })
    const part = await putOk(url, 0, PNG)
    const { json } = await complete(url, { parts: [part] })
    expect(json.data).toMatchObject({ kind: 'image', type: 'image/png', filename: 'song.mp3' })
  })
})
