import { describe, expect, it } from 'vitest'
import { createUploadServer } from '../../src/server/index.ts'
import { api, send, testServer } from './helpers.ts'

const running = testServer({ apiKey: 'test-key' })

const postUploads = (body?: string, auth: string | null = 'Bearer test-key') =>
  api(running, 'POST', '/uploads', body, auth)

describe('POST /uploads', () => {
  it('answers an envelope with a single upload URL by default', async () => {
    const before = Date.now()
    const { response, json } = await postUploads()
    expect(response.status).toBe(200)
    expect(json.meta).toMatchObject({
      status: 200,
      type: 'object',
      method: 'POST',
      path: '/uploads',
    })
    expect(json.meta.id).toMatch(/^req_/)
    expect(json.links).toEqual({})
    expect(json.data?.url).toMatch(new RegExp(`^${running.origin}/store/single\\?key=[\\w.-]+$`))
    expect(json.data).not.toHaveProperty('conditions')
    const expires = Date.parse(String(json.data?.expires))
    expect(expires - before).toBeGreaterThanOrEqual(299_000)
    expect(expires - before).toBeLessThanOrEqual(301_000)
  })

  it('echoes the session fields and gives a resumable URL when asked', async () => {
    const conditions = [{ prop: 'kind', operator: '==', value: 'video' }]
    const { json } = await postUploads(
      JSON.stringify({
        resumable: true,
        filename: 'profile.mp4',
        folder: 'usr_abcd',
        metadata: { user: 'usr_abcd', n: 1, ok: true, none: null },
        conditions,
        timeout: 60,
      }),
    )
    expect(json.data).toMatchObject({
      folder: 'usr_abcd',
      filename: 'profile.mp4',
      metadata: { user: 'usr_abcd', n: 1, ok: true, none: null },
      conditions,
    })
    expect(json.data?.url).toContain('/store/resumable?key=')
    expect(Date.parse(String(json.data?.expires)) - Date.now()).toBeLessThanOrEqual(60_000)
  })

  it('gives a different key to every session', async () => {
    const a = await postUploads('{}')
    const b = await postUploads('{}')
    expect(a.json.data?.url).not.toBe(b.json.data?.url)
  })

  it.each([
    ['no Authorization header', null],
    ['a wrong key', 'Bearer nope'],
    ['another scheme', 'Basic dGVzdC1rZXk='],
  ])('refuses %s with 401', async (_name, auth) => {
    const { response, json } = await postUploads('{}', auth)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer')
    expect(json.meta.status).toBe(401)
    expect(json.error?.message).toMatch(/API key/)
  })

  it('refuses malformed JSON with 400', async () => {
    const { response, json } = await postUploads('{"resumable": tru')
    expect(response.status).toBe(400)
    expect(json.error?.message).toBe('The request body is not valid JSON')
  })

  it('refuses a JSON body over 1 MiB with 413', async () => {
    const { response } = await postUploads(JSON.stringify({ filename: 'x'.repeat(1024 * 1024) }))
    expect(response.status).toBe(413)
  })

  it.each([
    ['an array body', []],
    ['a non-boolean resumable', { resumable: 'yes' }],
    ['a non-string filename', { filename: 3 }],
    ['nested metadata', { metadata: { user: { id: 1 } } }],
    ['array metadata', { metadata: ['a'] }],
    ['scalar conditions', { conditions: 'kind == video' }],
    ['a timeout under 10 s', { timeout: 9 }],
    ['a timeout over an hour', { timeout: 3601 }],
    ['a fractional timeout', { timeout: 10.5 }],
    ['a string timeout', { timeout: '60' }],
  ])('refuses %s with 400 and a message', async (_name, body) => {
    const { response, json } = await postUploads(JSON.stringify(body))
    expect(response.status).toBe(400)
    expect(json.error?.message.length).toBeGreaterThan(10)
  })

  it.each([10, 3600])('accepts a timeout of %i s', async (timeout) => {
    const { response } = await postUploads(JSON.stringify({ timeout }))
    expect(response.status).toBe(200)
  })
})

describe('CORS', () => {
  it('answers a preflight with 204 and the allowed methods and headers', async () => {
    const response = await fetch(`${running.origin}/store/resumable?key=x`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://app.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'x-upload-index, content-type',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toBe(
      'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    )
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'Content-Type, X-Upload-Index, Authorization, Range, If-None-Match, If-Range',
    )
    expect(response.headers.get('access-control-max-age')).toBe('600')
  })

  it('exposes Retry-After, ETag and the range headers on every response, errors included', async () => {
    const { response } = await postUploads('{}', null)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-expose-headers')).toBe(
      'Retry-After, ETag, Content-Range, Accept-Ranges, Content-Length, Content-Disposition',
    )
  })
})

describe('routing', () => {
  it('answers an unknown path with a 404 envelope', async () => {
    const { response, json } = await send(`${running.origin}/nothing`)
    expect(response.status).toBe(404)
    expect(json.error?.message).toBe('Nothing is served at /nothing')
  })

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const response = await fetch(`${running.origin}/uploads`)
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('hides the control API unless the server was created with control: true', async () => {
    expect((await fetch(`${running.origin}/__control/stats`)).status).toBe(404)
    expect(
      (await fetch(`${running.origin}/__bench/raw`, { method: 'PUT', body: 'x' })).status,
    ).toBe(404)
  })
})

describe('createUploadServer()', () => {
  it('listens on 127.0.0.1 on a free port and exposes url, apiKey and dataDir', async () => {
    const other = createUploadServer()
    expect(other.url).toBe('')
    const url = await other.listen()
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(other.url).toBe(url)
    expect(await other.listen()).toBe(url)
    expect(other.apiKey.length).toBeGreaterThan(20)
    expect(other.dataDir).toContain('partwise-server-')
    await other.close()
    await other.close()
  })
})
