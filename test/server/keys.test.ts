import { describe, expect, it } from 'vitest'
import { createUploadServer } from '../../src/server/index.ts'
import { signKey, verifyKey } from '../../src/server/uploads/keys.ts'
import { complete, createSession, putPart as put, send, sleep, testServer } from './helpers.ts'

const SECRET = 'a-signing-secret'
const running = testServer({ control: true, signingSecret: SECRET })

const newSession = (body: Record<string, unknown> = { resumable: true }) =>
  createSession(running, body)
const putPart = (url: string) => put(url, 0, 'x')

describe('signKey() / verifyKey()', () => {
  it('verifies what it signed and nothing else', () => {
    const key = signKey(SECRET, 'ses_abcdefgh', 1_800_000_000_000)
    expect(verifyKey(SECRET, key)).toEqual({
      sessionId: 'ses_abcdefgh',
      expiresAt: 1_800_000_000_000,
    })
    expect(verifyKey('another-secret', key)).toBeNull()
    expect(verifyKey(SECRET, key.replace('ses_abcdefgh', 'ses_abcdefgi'))).toBeNull()
    expect(verifyKey(SECRET, `${key}x`)).toBeNull()
    expect(verifyKey(SECRET, '')).toBeNull()
  })
})

describe('upload URL keys', () => {
  it('refuses a key this server did not sign with 403', async () => {
    const url = await newSession()
    const key = new URL(url).searchParams.get('key') ?? ''
    const forged = key.slice(0, -2) + (key.endsWith('AA') ? 'BB' : 'AA')
    const { status, json } = await putPart(`${running.origin}/store/resumable?key=${forged}`)
    expect(status).toBe(403)
    expect(json.error?.message).toMatch(/not valid/)
  })

  it('refuses garbage keys with 403', async () => {
    expect((await putPart(`${running.origin}/store/resumable?key=hello`)).status).toBe(403)
  })

  it('refuses a URL without a key with 400', async () => {
    expect((await putPart(`${running.origin}/store/resumable`)).status).toBe(400)
  })

  it('refuses a signed key with no session behind it with 404', async () => {
    const key = signKey(SECRET, 'ses_doesnotexist', Date.now() + 60_000)
    const { status, json } = await putPart(`${running.origin}/store/resumable?key=${key}`)
    expect(status).toBe(404)
    expect(json.error?.message).toBe('No upload session exists for this upload URL')
  })

  it('refuses an expired URL with 410', async () => {
    const url = await newSession()
    expect((await putPart(url)).status).toBe(200)
    const expire = await send(`${running.origin}/__control/expire`, {
      method: 'POST',
      body: JSON.stringify({ url }),
    })
    expect(expire.status).toBe(200)
    const { status, json } = await putPart(url)
    expect(status).toBe(410)
    expect(json.error?.message).toBe('This upload URL has expired')
  })

  it('refuses a URL whose timeout has passed with 410', async () => {
    const short = createUploadServer({ sessionTimeout: 0.05 })
    try {
      const url = await createSession({ server: short, origin: await short.listen() })
      await sleep(80)
      expect((await putPart(url)).status).toBe(410)
    } finally {
      await short.close()
    }
  })

  it('refuses a spent URL (a completed upload) with 410, but answers a repeated completion (§2c)', async () => {
    const url = await newSession()
    const part = (await putPart(url)).json.data
    const first = await complete(url, { parts: [part] })
    expect(first.status).toBe(200)
    const again = await putPart(url)
    expect(again.status).toBe(410)
    expect(again.json.error?.message).toBe('This upload URL was already used to complete an upload')
    // The same part list: the answer was lost, so the same media comes back.
    const repeated = await complete(url, { parts: [part] })
    expect(repeated.status).toBe(200)
    expect(repeated.json.data).toEqual(first.json.data)
    // Another part list is not a repeat.
    const other = await complete(url, { parts: [{ index: 0, etag: 'not-the-one' }] })
    expect(other.status).toBe(410)
  })

  it('refuses a simple-upload key on the resumable path with 400, and the reverse', async () => {
    const single = await newSession({})
    const onResumable = single.replace('/store/single', '/store/resumable')
    expect((await putPart(onResumable)).status).toBe(400)
    const resumable = await newSession()
    const onSingle = resumable.replace('/store/resumable', '/store/single')
    const form = new FormData()
    form.append('file', new Blob(['x']), 'x.txt')
    expect((await fetch(onSingle, { method: 'POST', body: form })).status).toBe(400)
  })

  it('tells a client in simple mode that a resumable URL wants parts (400)', async () => {
    const url = await newSession()
    const form = new FormData()
    form.append('file', new Blob(['x']), 'x.txt')
    const { status, json } = await send(url, { method: 'POST', body: form })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/resumable upload URL: PUT the parts/)
  })

  it('refuses to expire a URL it does not know', async () => {
    const key = signKey('not-the-secret', 'ses_whatever', Date.now() + 60_000)
    const response = await send(`${running.origin}/__control/expire`, {
      method: 'POST',
      body: JSON.stringify({ url: `${running.origin}/store/resumable?key=${key}` }),
    })
    expect(response.status).toBe(403)
  })
})
