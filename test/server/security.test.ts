import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FileObject } from '../../src/server/index.ts'
import { api, createSession, send, testServer, upload } from './helpers.ts'

const running = testServer({ apiKey: 'secret-key' })

/** Every name below must be refused wherever a folder or filename is accepted. */
const BAD_FOLDERS: Array<[string, string]> = [
  ['a parent segment', '../outside'],
  ['a nested parent segment', 'a/../../outside'],
  ['a dot segment', 'a/./b'],
  ['an absolute path', '/etc'],
  ['an encoded parent segment', '%2e%2e/outside'],
  ['an encoded parent, mixed case', 'a/%2E%2e'],
  ['an encoded slash', 'a%2f..'],
  ['a NUL byte', 'a\u0000b'],
  ['an encoded NUL', 'a%00b'],
  ['a backslash', '..\\outside'],
  ['an empty segment', 'a//b'],
  ['a trailing slash', 'a/'],
  ['a newline', 'a\nb'],
  ['a reserved first segment', 'files'],
]

const BAD_FILENAMES: Array<[string, string]> = [
  ['a parent segment', '..'],
  ['a path', '../../etc/passwd'],
  ['a slash', 'a/b.txt'],
  ['an absolute path', '/etc/passwd'],
  ['an encoded parent segment', '%2e%2e'],
  ['an encoded slash', '..%2f..%2fetc'],
  ['a NUL byte', 'a.txt\u0000.png'],
  ['a backslash', '..\\..\\boot.ini'],
  ['an empty name', ''],
  ['a name an API route answers', 'uploads'],
]

describe('folder and filename can never leave the data directory', () => {
  it.each(BAD_FOLDERS)('POST /uploads refuses a folder with %s (400)', async (_name, folder) => {
    const { status, json } = await api(running, 'POST', '/uploads', { folder, filename: 'a.txt' })
    expect(status).toBe(400)
    expect(json.error?.message).toMatch(/"folder"|API answers/)
  })

  it.each(BAD_FILENAMES)(
    'POST /uploads refuses a filename with %s (400)',
    async (_name, filename) => {
      const { status, json } = await api(running, 'POST', '/uploads', { filename })
      expect(status).toBe(400)
      expect(json.error?.message).toMatch(/"filename"|API answers/)
    },
  )

  // Under a folder, a filename an API route answers at the top level is a fine name.
  const patchable = [
    ...BAD_FOLDERS.map(([name, value]) => ['folder', name, value]),
    ...BAD_FILENAMES.filter(([name]) => !name.includes('API')).map(([name, value]) => [
      'filename',
      name,
      value,
    ]),
  ]

  it.each(patchable)(
    'PATCH /files refuses a %s with %s (400) and leaves the file as it was',
    async (field, _name, value) => {
      const media = await upload(running, 'patched', { folder: 'safe', filename: 'a.txt' })
      const file = (media.sources as FileObject[])[0] as FileObject
      const { status } = await api(running, 'PATCH', `/files/${file.id}`, { [field]: value })
      expect(status).toBe(400)
      const { json } = await api<FileObject>(running, 'GET', `/files/${file.id}`)
      expect(json.data?.url).toBe(`${running.origin}/safe/a.txt`)
    },
  )

  it('PATCH /files refuses a top-level filename an API route answers (400)', async () => {
    const media = await upload(running, 'top', { filename: 'a.txt' })
    const file = (media.sources as FileObject[])[0] as FileObject
    const { status } = await api(running, 'PATCH', `/files/${file.id}`, { filename: 'files' })
    expect(status).toBe(400)
  })

  it.each([
    ['a path', '../../../../tmp/evil.sh', 'evil.sh'],
    // Its own name: a second evil.sh from the browser would keep its own URL (file-urls.test.ts).
    ['a Windows path', '..\\..\\evil.bat', 'evil.bat'],
    ['a parent segment', '..', null],
  ])('keeps no more than a safe name of a multipart filename with %s', async (_n, name, kept) => {
    const url = await createSession(running, {})
    const form = new FormData()
    form.append('file', new Blob(['evil']), name)
    const { status, json } = await send(url, { method: 'POST', body: form })
    expect(status).toBe(200)
    const file = ((json.data?.sources ?? []) as FileObject[])[0] as FileObject
    expect(file.filename).toBe(kept)
    expect(file.url).toBe(`${running.origin}/${kept ?? file.id}`)
  })

  it('keeps every byte under dataDir, in files named by random ids', async () => {
    await upload(running, 'inside', { folder: 'deep/er', filename: 'name.txt' })
    const top = await readdir(running.server.dataDir)
    expect(top.sort()).toEqual(expect.arrayContaining(['partwise.sqlite', 'sessions']))
    expect(
      top.every((entry) => /^(partwise\.sqlite(-wal|-shm)?|sessions|fetched)$/.test(entry)),
    ).toBe(true)
    const sessions = await readdir(join(running.server.dataDir, 'sessions'))
    expect(sessions.every((entry) => entry.startsWith('ses_'))).toBe(true)
  })

  it.each([
    ['/../../etc/passwd'],
    ['/%2e%2e/%2e%2e/etc/passwd'],
    ['/..%2f..%2fetc%2fpasswd'],
    ['/a%00b'],
    ['/%5c..%5c..%5cetc'],
  ])('answers a request for %s with 404', async (path) => {
    const response = await fetch(`${running.origin}${path}`)
    expect(response.status).toBe(404)
    const json = (await response.json()) as { error: { message: string } }
    expect(json.error.message).toMatch(/^Nothing is served at /)
  })
})

describe('the API key', () => {
  it.each([
    ['GET', '/files'],
    ['POST', '/files'],
    ['GET', '/files/file_x'],
    ['PATCH', '/files/file_x'],
    ['DELETE', '/files/file_x'],
    ['POST', '/uploads'],
  ])('is required by %s %s (401 with the error envelope)', async (method, path) => {
    for (const auth of [null, 'Bearer wrong-key', 'Basic c2VjcmV0LWtleQ==']) {
      const body = method === 'GET' ? undefined : {}
      const { status, json, response } = await api(running, method, path, body, auth)
      expect(status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(json.meta.status).toBe(401)
      expect(json.error?.message).toMatch(/API key/)
    }
  })
})

describe('request bodies', () => {
  it('refuses malformed JSON on the API routes with 400', async () => {
    for (const [method, path] of [
      ['POST', '/uploads'],
      ['POST', '/files'],
      ['PATCH', '/files/file_x'],
    ] as const) {
      const { status, json } = await api(running, method, path, '{"folder": ')
      expect(status).toBe(400)
      expect(json.error?.message).toBe('The request body is not valid JSON')
    }
  })

  it('refuses a JSON body over 1 MiB with 413', async () => {
    const big = JSON.stringify({ metadata: { blob: 'x'.repeat(1024 * 1024) } })
    expect((await api(running, 'POST', '/files', big)).status).toBe(413)
    expect((await api(running, 'PATCH', '/files/file_x', big)).status).toBe(413)
  })
})
