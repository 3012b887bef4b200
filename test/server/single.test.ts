import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUploadServer, type UploadServer } from '../../src/server/index.ts'

let server: UploadServer
let origin: string

beforeAll(async () => {
  server = createUploadServer({ control: true, maxFileSize: 100 * 1024 })
  origin = await server.listen()
})
afterAll(() => server.close())

interface Envelope {
  data?: Record<string, unknown>
  error?: { message: string }
}

async function newSession(body: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(`${origin}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${server.apiKey}` },
    body: JSON.stringify(body),
  })
  return ((await response.json()) as { data: { url: string } }).data.url
}

async function post(url: string, body: FormData | string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', body, headers })
  return { status: response.status, json: (await response.json()) as Envelope }
}

function form(bytes: Uint8Array, name = 'photo.gif', field = 'file'): FormData {
  const data = new FormData()
  data.append('note', 'fields other than file are ignored')
  data.append(field, new Blob([new Uint8Array(bytes)]), name)
  return data
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

describe('POST /store/single', () => {
  it('stores the multipart field "file" and answers the media object', async () => {
    const url = await newSession({ metadata: { user: 'u1' } })
    const bytes = Buffer.concat([Buffer.from('GIF89a'), randomBytes(50_000)])
    const { status, json } = await post(url, form(bytes))
    expect(status).toBe(200)
    expect(json.data).toMatchObject({
      object: 'media',
      kind: 'image',
      type: 'image/gif',
      filesize: bytes.length,
      filename: 'photo.gif',
      metadata: { user: 'u1' },
    })
    const digest = await fetch(`${origin}/__control/media/${String(json.data?.id)}`)
    expect(((await digest.json()) as Envelope).data).toEqual({
      sha256: sha256(bytes),
      filesize: bytes.length,
    })
  })

  it("prefers the session's filename over the form's", async () => {
    const url = await newSession({ filename: 'chosen.bin' })
    const { json } = await post(url, form(Buffer.from('abc'), 'picked.txt'))
    expect(json.data).toMatchObject({ filename: 'chosen.bin' })
  })

  it('accepts an empty file', async () => {
    const url = await newSession()
    const { status, json } = await post(url, form(new Uint8Array(0), 'empty.txt'))
    expect(status).toBe(200)
    expect(json.data).toMatchObject({ filesize: 0, type: 'text/plain' })
  })

  it('spends the key', async () => {
    const url = await newSession()
    expect((await post(url, form(Buffer.from('a')))).status).toBe(200)
    const again = await post(url, form(Buffer.from('a')))
    expect(again.status).toBe(410)
  })

  it('refuses a file over maxFileSize with 413', async () => {
    const url = await newSession()
    const { status, json } = await post(url, form(randomBytes(100 * 1024 + 1)))
    expect(status).toBe(413)
    expect(json.error?.message).toMatch(/larger than/)
    // The refusal leaves the key usable.
    expect((await post(url, form(Buffer.from('small')))).status).toBe(200)
  })

  it('refuses a form without a "file" field with 400', async () => {
    const url = await newSession()
    const { status, json } = await post(url, form(Buffer.from('x'), 'x.txt', 'upload'))
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/field named "file"/)
  })

  it('refuses a body that is not multipart/form-data with 400', async () => {
    const url = await newSession()
    const { status } = await post(url, 'raw bytes', { 'Content-Type': 'application/octet-stream' })
    expect(status).toBe(400)
  })

  it('refuses a truncated multipart body with 400', async () => {
    const url = await newSession()
    const body = '--b\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nabc'
    const { status } = await post(url, body, { 'Content-Type': 'multipart/form-data; boundary=b' })
    expect(status).toBe(400)
  })

  it('refuses a file the session conditions reject with 422', async () => {
    const url = await newSession({ conditions: [{ prop: 'kind', operator: '==', value: 'video' }] })
    const { status, json } = await post(url, form(Buffer.from('GIF89a...')))
    expect(status).toBe(422)
    expect(json.error?.message).toMatch(/Only video files are accepted; this is an image/)
  })
})
