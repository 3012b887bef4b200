import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload, type ResumeStore, type UploadOptions } from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { HEAD_START_MS } from '../../src/core/sender.ts'
import { media, partOk, scriptedTransport } from '../support/scripted.ts'

/**
 * The completion, told the truth about (#13 items 1–6): once it is sent, the server may be
 * storing the file, and nothing the client does afterwards may report a stored file as failed,
 * paused or cancelled, nor upload it a second time.
 */
const flush = () => vi.advanceTimersByTimeAsync(HEAD_START_MS)
const file = new File(['aaaabbbb'], 'f.bin', { lastModified: 1 })
const key = JSON.stringify(['f.bin', 8, '', 1, 'http://x/u'])
const settled = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )

/** Started, with both parts acknowledged and the completion (calls[2]) in flight. */
async function completing(
  options: Partial<UploadOptions> = {},
  store: ResumeStore = memoryStore(),
) {
  const { calls, transport } = scriptedTransport()
  const upload = createUpload(file, {
    url: 'http://x/u',
    transport,
    chunkSize: 4,
    resume: store,
    random: () => 0,
    ...options,
  })
  const done = settled(upload.start())
  await flush()
  calls[0]?.respond(partOk(0))
  calls[1]?.respond(partOk(1))
  await flush()
  expect(calls[2]?.request.method).toBe('POST')
  return { calls, upload, done, store }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('a completion whose answer is lost (item 1)', () => {
  it('reports a later 410 as outcome_unknown, keeps the record, and retry() sends the completion again, never a part', async () => {
    const { calls, upload, done, store } = await completing()
    calls[2]?.fail() // the socket was cut after the server completed
    await vi.advanceTimersByTimeAsync(1000)
    expect(calls[3]?.request.method).toBe('POST')
    calls[3]?.respond({
      status: 410,
      body: '{"error":{"message":"This upload URL was already used"}}',
    })
    const { error } = (await done) as { error: { code: string; message: string } }
    expect(error.code).toBe('outcome_unknown')
    expect(error.message).toMatch(/may have completed/)
    expect(store.get(key)).toMatchObject({ parts: { 0: 'e0', 1: 'e1' } })

    const again = upload.retry()
    await flush()
    expect(calls.slice(4).map((c) => c.request.method)).toEqual(['POST'])
    calls[4]?.respond(media)
    await expect(again).resolves.toMatchObject({ id: 'med_1' })
  })

  it('cancel() after outcome_unknown never reports the file cancelled, and keeps the record', async () => {
    // Found by the hammer (seed 877088069, path 209): a stored file ended "cancelled".
    const { calls, upload, done, store } = await completing()
    calls[2]?.fail()
    await vi.advanceTimersByTimeAsync(1000)
    calls[3]?.respond({ status: 410, body: '{"error":{"message":"spent"}}' })
    expect(await done).toMatchObject({ error: { code: 'outcome_unknown' } })
    upload.cancel()
    expect(upload.getSnapshot()).toMatchObject({
      status: 'error',
      error: { code: 'outcome_unknown' },
    })
    expect(store.get(key)).toMatchObject({ parts: { 0: 'e0', 1: 'e1' } })
  })

  it('ends in outcome_unknown, not network_error, when every completion attempt is lost', async () => {
    const { calls, done } = await completing({ maxAttempts: 2 })
    calls[2]?.fail()
    await vi.advanceTimersByTimeAsync(1000)
    calls[3]?.respond({ status: 502 })
    expect(await done).toMatchObject({ error: { code: 'outcome_unknown' } })
  })
})

describe('a record that lists every part (item 2)', () => {
  it('never leads to a fresh session and a second upload when the stored URL is refused', async () => {
    const store = memoryStore()
    store.set(key, { url: 'http://x/u', chunkSize: 4, parts: { 0: 'e0', 1: 'e1' }, expires: 9e15 })
    const url = vi.fn(async () => 'http://x/fresh')
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, {
      url,
      endpoint: 'http://x/u',
      transport,
      chunkSize: 4,
      resume: store,
    })
    const done = settled(upload.start())
    await flush()
    expect(calls.map((c) => c.request.method)).toEqual(['POST'])
    calls[0]?.respond({ status: 410 })
    await flush()
    expect(await done).toMatchObject({ error: { code: 'outcome_unknown' } })
    expect(url).not.toHaveBeenCalled()
    expect(calls).toHaveLength(1)
  })

  it('is written, every part listed, when the completion is sent', async () => {
    const { store, upload } = await completing()
    expect(store.get(key)).toMatchObject({ parts: { 0: 'e0', 1: 'e1' } })
    expect(upload.getSnapshot().status).toBe('completing')
  })
})

describe('pause() and cancel() while completing (items 3, 4)', () => {
  it('pause() neither aborts the completion nor reports a stored file as paused', async () => {
    const { calls, upload, done } = await completing()
    upload.pause()
    expect(calls[2]?.request.signal.aborted).toBe(false)
    expect(upload.getSnapshot().status).toBe('completing')
    calls[2]?.respond(media)
    expect(await done).toMatchObject({ value: { id: 'med_1' } })
    expect(upload.getSnapshot().status).toBe('success')
  })

  it('cancel() waits for the answer: a stored file ends as success, not cancelled', async () => {
    const { calls, upload, done } = await completing()
    upload.cancel()
    expect(calls[2]?.request.signal.aborted).toBe(false)
    calls[2]?.respond(media)
    expect(await done).toMatchObject({ value: { id: 'med_1' } })
    expect(upload.getSnapshot().status).toBe('success')
  })
})

describe('what the completion answers (item 5)', () => {
  it('refuses a media filesize other than the file’s as a protocol_error', async () => {
    const { calls, done } = await completing()
    calls[2]?.respond({
      status: 200,
      body: JSON.stringify({ data: { id: 'm', object: 'media', filesize: 7 } }),
    })
    expect(await done).toMatchObject({ error: { code: 'protocol_error' } })
  })

  it('accepts the media when its filesize is the file’s', async () => {
    const { calls, done } = await completing()
    calls[2]?.respond({
      status: 200,
      body: JSON.stringify({ data: { id: 'm', object: 'media', filesize: 8 } }),
    })
    expect(await done).toMatchObject({ value: { id: 'm' } })
  })
})

describe('a broken part receipt (item 6)', () => {
  it('puts the part back in the queue, so that retry() sends it again and finishes', async () => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(file, { url: 'u', transport, chunkSize: 4, resume: false })
    const done = settled(upload.start())
    await flush()
    calls[0]?.respond({ status: 200, body: '<html>proxy login</html>' })
    calls[1]?.respond(partOk(1))
    expect(await done).toMatchObject({ error: { code: 'protocol_error' } })
    const again = upload.retry()
    await flush()
    const resent = calls.slice(2).map((c) => Number(c.request.headers['X-Upload-Index']))
    expect(resent).toContain(0)
    for (const [i, call] of calls.slice(2).entries()) call.respond(partOk(resent[i] ?? -1))
    await flush()
    expect(calls.at(-1)?.request.method).toBe('POST')
    calls.at(-1)?.respond(media)
    await expect(again).resolves.toMatchObject({ id: 'med_1' })
  })
})
