import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSession, fixture, send, sha256, storedDigest, testServer } from './helpers.ts'

const running = testServer({ control: true, maxFileSize: 100 * 1024 })

const newSession = (body: Record<string, unknown> = {}) => createSession(running, body)
const post = (url: string, body: FormData | string, headers: Record<string, string> = {}) =>
  send(url, { method: 'POST', body, headers })

function form(bytes: Uint8Array, name = 'photo.gif', field = 'file'): FormData {
  const data = new FormData()
  data.append('note', 'fields other than file are ignored')
  data.append(field, new Blob([new Uint8Array(bytes)]), name)
  return data
}

/** A real GIF (40×30): file-type and image-size read its header. */
const GIF = fixture('image-40x30.gif')

describe('POST /store/single', () => {
  it('stores the multipart field "file" and answers the media object', async () => {
    const url = await newSession({ metadata: { user: 'u1' } })
    const bytes = GIF
    const { status, json } = await post(url, form(bytes))
    expect(status).toBe(200)
    expect(json.data).toMatchObject({
      object: 'media',
      kind: 'image',
      type: 'image/gif',
      width: 40,
      height: 30,
      filesize: bytes.length,
      filename: 'photo.gif',
      metadata: { user: 'u1' },
    })
    expect(await storedDigest(running, json.data?.id)).toEqual({
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
    const { status, json } = await post(url, form(GIF))
    expect(status).toBe(422)
    expect(json.error?.message).toMatch(/Only video files are accepted; this is an image/)
  })
})
