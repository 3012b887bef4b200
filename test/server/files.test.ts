import { describe, expect, it } from 'vitest'
import type { FileObject } from '../../src/server/index.ts'
import { api, fixture, send, testServer, upload } from './helpers.ts'

const running = testServer({ apiKey: 'files-key' })

/** Uploads bytes and answers the file the completion made (the media's original source). */
async function newFile(bytes: Uint8Array | string, session: Record<string, unknown> = {}) {
  const media = await upload(running, bytes, session)
  return (media.sources as FileObject[])[0] as FileObject
}

const bytesAt = async (url: string) => {
  const response = await fetch(url)
  return { status: response.status, text: await response.text() }
}

describe('the file object', () => {
  it('has every field of docs/PROTOCOL.md §4, read from the bytes', async () => {
    const file = await newFile(fixture('image-64x48.png'), {
      folder: 'users/42',
      filename: 'avatar.png',
      metadata: { user: 42 },
    })
    const { status, json } = await api<FileObject>(running, 'GET', `/files/${file.id}`)
    expect(status).toBe(200)
    expect(json.meta).toMatchObject({ status: 200, type: 'object', path: `/files/${file.id}` })
    expect(json.links).toEqual({ self: `/files/${file.id}` })
    expect(json.data).toEqual({
      id: expect.stringMatching(/^file_/),
      media_id: expect.stringMatching(/^med_/),
      object: 'source',
      kind: 'image',
      format: 'png',
      type: 'image/png',
      width: 64,
      height: 48,
      duration: null,
      fps: null,
      filesize: 554,
      folder: 'users/42',
      filename: 'avatar.png',
      url: `${running.origin}/users/42/avatar.png`,
      ref: null,
      original: true,
      metadata: { user: 42 },
      created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updated: json.data?.created,
    })
  })

  it('is served at /{id} when it has no filename', async () => {
    const file = await newFile('no name')
    expect(file.url).toBe(`${running.origin}/${file.id}`)
    expect(await bytesAt(file.url)).toEqual({ status: 200, text: 'no name' })
  })

  it('answers 404 with the error envelope for an unknown id', async () => {
    const { status, json } = await api(running, 'GET', '/files/file_nope')
    expect(status).toBe(404)
    expect(json.error?.message).toBe('No file has the id file_nope')
  })
})

describe('GET /files', () => {
  it('pages through every file, newest first, with meta and links', async () => {
    const { json: before } = await api(running, 'GET', '/files?limit=1')
    const base = before.meta.total ?? 0
    const made = [await newFile('p1'), await newFile('p2'), await newFile('p3')]
    const total = base + 3
    const first = await api<FileObject[]>(running, 'GET', '/files?page=1&limit=2')
    expect(first.json.meta).toMatchObject({
      type: 'list',
      total,
      page: 1,
      limit: 2,
      pages: Math.ceil(total / 2),
    })
    expect(first.json.data?.map((file) => file.id)).toEqual([made[2]?.id, made[1]?.id])
    expect(first.json.links).toEqual({
      self: '/files?page=1&limit=2',
      next: '/files?page=2&limit=2',
    })
    const second = await api<FileObject[]>(running, 'GET', '/files?page=2&limit=2')
    expect(second.json.data?.[0]?.id).toBe(made[0]?.id)
    expect(second.json.links?.prev).toBe('/files?page=1&limit=2')
  })

  it('defaults to page 1 and 20 files a page', async () => {
    const { json } = await api(running, 'GET', '/files')
    expect(json.meta).toMatchObject({ page: 1, limit: 20 })
  })

  it('answers an empty page past the last one, linking back to the last page', async () => {
    const { json: all } = await api(running, 'GET', '/files?limit=100')
    const pages = all.meta.pages ?? 0
    const { status, json } = await api(running, 'GET', `/files?page=${pages + 5}&limit=100`)
    expect(status).toBe(200)
    expect(json.data).toEqual([])
    expect(json.links).toEqual({
      self: `/files?page=${pages + 5}&limit=100`,
      prev: `/files?page=${pages}&limit=100`,
    })
  })

  it.each([
    ['page=0'],
    ['page=-1'],
    ['page=1.5'],
    ['page=abc'],
    ['limit=0'],
    ['limit=101'],
    ['limit=251'],
    ['limit='],
  ])('refuses %s with 400', async (query) => {
    const { status, json } = await api(running, 'GET', `/files?${query}`)
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/must be a whole number from 1 to/)
  })

  it('accepts limit=100, the most the seed allows', async () => {
    expect((await api(running, 'GET', '/files?limit=100')).status).toBe(200)
  })
})

describe('PATCH /files/{id}', () => {
  it('merges metadata, and a null removes its key', async () => {
    const file = await newFile('meta', { metadata: { keep: 1, change: 'a', drop: true } })
    const { status, json } = await api<FileObject>(running, 'PATCH', `/files/${file.id}`, {
      metadata: { change: 'b', drop: null, added: false },
    })
    expect(status).toBe(200)
    expect(json.data?.metadata).toEqual({ keep: 1, change: 'b', added: false })
    expect(Date.parse(String(json.data?.updated))).toBeGreaterThanOrEqual(Date.parse(file.updated))
    const again = await api<FileObject>(running, 'GET', `/files/${file.id}`)
    expect(again.json.data?.metadata).toEqual({ keep: 1, change: 'b', added: false })
  })

  it('moves the file to a new folder and filename, and its URL with it', async () => {
    const file = await newFile('moved', { folder: 'old', filename: 'a.txt' })
    const { json } = await api<FileObject>(running, 'PATCH', `/files/${file.id}`, {
      folder: 'archive/2024',
      filename: 'final.txt',
    })
    expect(json.data).toMatchObject({
      folder: 'archive/2024',
      filename: 'final.txt',
      url: `${running.origin}/archive/2024/final.txt`,
    })
    expect(await bytesAt(`${running.origin}/archive/2024/final.txt`)).toEqual({
      status: 200,
      text: 'moved',
    })
    expect((await bytesAt(`${running.origin}/old/a.txt`)).status).toBe(404)
  })

  it('clears a filename with null: the file is then served at /{id}', async () => {
    const file = await newFile('cleared', { filename: 'named.txt' })
    const { json } = await api<FileObject>(running, 'PATCH', `/files/${file.id}`, {
      filename: null,
    })
    expect(json.data?.url).toBe(`${running.origin}/${file.id}`)
  })

  it('changes nothing, the updated time included, for a body that changes nothing', async () => {
    const file = await newFile('same', { metadata: { a: 1 } })
    const { json } = await api<FileObject>(running, 'PATCH', `/files/${file.id}`, {
      metadata: { a: 1 },
    })
    expect(json.data?.updated).toBe(file.updated)
  })

  it.each([
    ['metadata that is not flat', { metadata: { a: { b: 1 } } }],
    ['a filename that is not a string', { filename: 3 }],
    ['an array body', []],
  ])('refuses %s with 400', async (_name, body) => {
    const file = await newFile('bad patch')
    const { status, json } = await api(running, 'PATCH', `/files/${file.id}`, body)
    expect(status).toBe(400)
    expect(json.error?.message.length).toBeGreaterThan(5)
  })
})

describe('two files on one URL', () => {
  it('serves the most recently updated, then the other once it is deleted', async () => {
    const names = { folder: 'shared', filename: 'clip.txt' }
    const older = await newFile('older', names)
    const newer = await newFile('newer', names)
    const url = `${running.origin}/shared/clip.txt`
    expect(older.url).toBe(newer.url)
    expect(await bytesAt(url)).toEqual({ status: 200, text: 'newer' })
    // Updating the older file makes it the most recently updated one.
    await api(running, 'PATCH', `/files/${older.id}`, { metadata: { touched: true } })
    expect(await bytesAt(url)).toEqual({ status: 200, text: 'older' })
    expect((await api(running, 'DELETE', `/files/${older.id}`)).status).toBe(200)
    expect(await bytesAt(url)).toEqual({ status: 200, text: 'newer' })
    await api(running, 'DELETE', `/files/${newer.id}`)
    expect((await bytesAt(url)).status).toBe(404)
  })
})

describe('DELETE /files/{id}', () => {
  it('answers the seed confirmation, then 404 for the file and its URL', async () => {
    const file = await newFile('gone', { filename: 'gone.txt' })
    const { status, json } = await api(running, 'DELETE', `/files/${file.id}`)
    expect(status).toBe(200)
    expect(json.data).toEqual({ message: `File ${file.id} deleted successfully.` })
    expect((await api(running, 'GET', `/files/${file.id}`)).status).toBe(404)
    expect((await api(running, 'DELETE', `/files/${file.id}`)).status).toBe(404)
    expect((await send(file.url)).status).toBe(404)
  })
})
