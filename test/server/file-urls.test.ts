import { describe, expect, it } from 'vitest'
import type { FileObject } from '../../src/server/index.ts'
import { api, createSession, send, testServer, upload } from './helpers.ts'

/**
 * A file's url keeps serving that file's bytes unless the app asks otherwise on purpose: a
 * name the browser gave (the form's filename) never takes over a URL another file holds, so
 * two different uploads of `photo.png` keep serving their own bytes. A name the app chose (the
 * session's, a PATCH) is on purpose, and shares its URL as the seed says (files.test.ts).
 */
const running = testServer()

async function simpleUpload(bytes: string, filename: string) {
  const url = await createSession(running, {})
  const form = new FormData()
  form.append('file', new Blob([bytes]), filename)
  const { status, json } = await send(url, { method: 'POST', body: form })
  expect(status).toBe(200)
  return json.data as Record<string, unknown>
}

const original = (media: Record<string, unknown>) =>
  (media.sources as FileObject[])[0] as FileObject
const textAt = async (url: string) => (await fetch(url)).text()

describe('file URLs', () => {
  it('keeps each simple upload of photo.png at its own URL, serving its own bytes', async () => {
    const first = original(await simpleUpload('the first photo', 'photo.png'))
    const second = original(await simpleUpload('the second photo', 'photo.png'))
    expect(first.url).not.toBe(second.url)
    expect(await textAt(first.url)).toBe('the first photo')
    expect(await textAt(second.url)).toBe('the second photo')
    // The first one keeps the name's URL; the second is served at its own.
    expect(first.url).toBe(`${running.origin}/photo.png`)
    expect(second.url).toBe(`${running.origin}/${second.id}`)
    expect(await textAt(`${running.origin}/photo.png`)).toBe('the first photo')
  })

  it('shares the URL once the app renames the file to it on purpose', async () => {
    const first = original(await simpleUpload('one', 'same.png'))
    const second = original(await simpleUpload('two', 'same.png'))
    const { json } = await api<FileObject>(running, 'PATCH', `/files/${second.id}`, {
      filename: 'same.png',
      folder: 'chosen',
    })
    expect(json.data?.url).toBe(`${running.origin}/chosen/same.png`)
    expect(await textAt(first.url)).toBe('one')
    expect(await textAt(`${running.origin}/chosen/same.png`)).toBe('two')
  })

  it("keeps the browser's name as the media's filename and the download's name", async () => {
    const media = await simpleUpload('named by the browser', 'holiday.png')
    expect(media.filename).toBe('holiday.png')
    const response = await fetch(original(media).url)
    expect(response.headers.get('content-disposition')).toContain('holiday.png')
  })

  it('serves every upload at its media URL /{media id}/original as well', async () => {
    const media = await upload(running, 'by media id', { filename: 'shared-name.txt' })
    expect(await textAt(`${running.origin}/${String(media.id)}/original`)).toBe('by media id')
  })
})
