import { describe, expect, it } from 'vitest'
import { api, complete, control, createSession, putPartOk, testServer } from './helpers.ts'

/**
 * docs/PROTOCOL.md §2c: the completion's answer can be lost after the server completed (a cut
 * connection, a gateway's 502, a client deadline), so the client sends it again. The same part
 * list must get the same media and a 200, never a 410 for a file that is stored; any other
 * list still gets the 410.
 */
const running = testServer({ control: true })

async function completedUpload() {
  const url = await createSession(running)
  const parts = [await putPartOk(url, 0, 'first '), await putPartOk(url, 1, 'second')]
  const first = await complete(url, { parts })
  expect(first.status).toBe(200)
  return { url, parts, media: first.json.data as Record<string, unknown> }
}

async function fileCount(): Promise<number> {
  return (await api(running, 'GET', '/files?limit=1')).json.meta.total ?? 0
}

describe('a repeated completion', () => {
  it('answers the same media with a 200 when the part list matches, and makes no second file', async () => {
    const { url, parts, media } = await completedUpload()
    const files = await fileCount()
    const again = await complete(url, { parts })
    expect(again.status).toBe(200)
    expect(again.json.data).toEqual(media)
    // Listed in another order, it is still the same list.
    const reordered = await complete(url, { parts: [...parts].reverse() })
    expect(reordered.status).toBe(200)
    expect(reordered.json.data).toMatchObject({ id: media.id })
    expect(await fileCount()).toBe(files)
  })

  it('answers it also once the upload URL has expired since', async () => {
    const { url, parts, media } = await completedUpload()
    expect((await control(running, 'POST', 'expire', { url })).status).toBe(200)
    const again = await complete(url, { parts })
    expect(again.status).toBe(200)
    expect(again.json.data).toMatchObject({ id: media.id })
  })

  it.each([
    ['another etag', (parts: Part[]) => [parts[0], { index: 1, etag: 'not-the-one' }]],
    ['a part missing', (parts: Part[]) => [parts[0]]],
    ['a part more', (parts: Part[]) => [...parts, { index: 2, etag: 'extra' }]],
  ])('refuses a different list (%s) with 410', async (_name, change) => {
    const { url, parts } = await completedUpload()
    const other = await complete(url, { parts: change(parts) })
    expect(other.status).toBe(410)
    expect(other.json.error?.message).toBe('This upload URL was already used to complete an upload')
  })
})

interface Part {
  index: number
  etag: string
}
