import { setTimeout } from 'node:timers/promises'
import type { Page } from 'playwright'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Rig, recordedParts, startRig, waitForRecordedParts } from '../support/e2e.ts'

/**
 * #16: after a real reload in the middle of an upload (Chromium, Playwright), the upload is
 * listed by findInterruptedUploads() and continues without the file being picked again: from a
 * FileSystemFileHandle (one in the origin private file system is real and granted), from
 * keepCopy's private copy, or from the same file picked again. The page is
 * test/e2e/interrupted-page/main.ts.
 */

interface RequestRecord {
  method: string
  index: number | null
  endedAt: number
}

let rig: Rig
beforeAll(async () => {
  rig = await startRig('test/e2e/interrupted-page')
}, 60_000)
afterAll(() => rig?.stop())
beforeEach(() => rig.control('POST', '/__control/reset'))

const PART = 64 * 1024
const PARTS = 16

const puts = async () =>
  (await rig.control<{ requests: RequestRecord[] }>('GET', '/__control/stats')).requests.filter(
    (r) => r.method === 'PUT',
  )

const waitFor = (page: Page, predicate: string, timeout = 60_000) =>
  page.waitForFunction(
    `(() => { const w = window.pw; return !!w && (${predicate}) })()`,
    undefined,
    {
      timeout,
      polling: 20,
    },
  )

const leftovers = (page: Page) => page.evaluate(() => window.pw.leftovers())

/**
 * A page whose upload (`how`, with `options`) is cut by a reload: the second half of the parts
 * is stored but its answers held, so that the first page never finishes; the reload comes once
 * 6 parts are in the record. Resolves once the old page's requests have ended, with the parts
 * the reloaded page's record lists and the number of PUTs so far.
 */
async function interrupted(how: 'handle' | 'file', options: Record<string, unknown> = {}) {
  const held = [...Array(PARTS).keys()].slice(PARTS / 2).map((index) => ({
    method: 'PUT',
    path: '/store/resumable',
    index,
    stallMs: 120_000,
  }))
  await rig.control('PUT', '/__control/faults', {
    rules: [...held, { method: 'PUT', path: '/store/resumable', latencyMs: 120 }],
  })
  const file = rig.diskFile(PART * PARTS, `${how}-${Object.keys(options).join('-')}.bin`)
  const context = await rig.browser.newContext()
  const page = await context.newPage()
  await page.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
  await page.setInputFiles('#file', file.path)
  await page.evaluate(([h, o]) => window.pw.start(h, o), [how, options] as const)
  await waitForRecordedParts(page, 6)
  const beforeReload = await leftovers(page)
  await page.reload()
  const recorded = await recordedParts(page)
  while ((await puts()).some((r) => r.endedAt === 0)) await setTimeout(20)
  const before = (await puts()).length
  await rig.control('PUT', '/__control/faults', { rules: [] })
  return { context, page, file, recorded, before, beforeReload }
}

/** Continues the first listed upload, and checks what the server got and what is left. */
async function continueAndCheck(
  page: Page,
  file: { path: string; sha256: string },
  recorded: number[],
  before: number,
  pick?: 'file',
) {
  await page.evaluate((p) => window.pw.continueFirst(p), pick)
  await waitFor(page, "w.snapshot && w.snapshot.status === 'success'")
  const state = await page.evaluate(() => ({
    sessions: window.pw.sessions,
    resumed: window.pw.snapshot?.resumed,
    media: window.pw.snapshot?.result as { id: string },
  }))
  expect(state.sessions).toBe(0) // the url function was never called: the record's URL was used
  expect(state.resumed).toBe(true)
  const stored = await rig.control<{ sha256: string }>('GET', `/__control/media/${state.media.id}`)
  expect(stored.sha256).toBe(file.sha256)
  // Only the parts missing from the record, each once.
  const resent = (await puts()).slice(before).map((r) => r.index ?? -1)
  const missing = [...Array(PARTS).keys()].filter((index) => !recorded.includes(index))
  expect(resent.sort((a, b) => a - b)).toEqual(missing)
  // Nothing of the file remains: no record, no kept handle, no copy.
  await expect.poll(() => leftovers(page)).toEqual({ records: 0, entries: 0, copies: [] })
}

describe('continuing after a reload without picking the file again (#16)', () => {
  it('from a FileSystemFileHandle: listed, continued from the record with only the missing parts', async () => {
    const { context, page, file, recorded, before } = await interrupted('handle')
    const [item, ...rest] = await page.evaluate(() => window.pw.list())
    expect(rest).toEqual([])
    expect(item).toMatchObject({ source: 'handle', size: PART * PARTS, elsewhere: false })
    expect(item?.bytesUploaded).toBe(recorded.length * PART)
    await continueAndCheck(page, file, recorded, before)
    await context.close()
  })

  it('from keepCopy’s private copy of a plain File', async () => {
    const { context, page, file, recorded, before, beforeReload } = await interrupted('file', {
      keepCopy: true,
    })
    expect(beforeReload.copies).toHaveLength(1)
    const [item] = await page.evaluate(() => window.pw.list())
    expect(item).toMatchObject({ source: 'copy', elsewhere: false })
    await continueAndCheck(page, file, recorded, before)
    await context.close()
  })

  it('from the same file picked again; another file gets wrong_file', async () => {
    const { context, page, file, recorded, before } = await interrupted('file')
    const [item] = await page.evaluate(() => window.pw.list())
    expect(item).toMatchObject({ source: 'pick' })
    const other = rig.diskFile(PART * 3, 'other.bin')
    await page.setInputFiles('#other', other.path)
    await page.evaluate(() => window.pw.continueFirst('other'))
    await waitFor(page, 'w.error !== null')
    const error = await page.evaluate(() => window.pw.error)
    expect(error?.code).toBe('wrong_file')
    expect(error?.message).toMatch(/not the file the upload began with/)
    await page.evaluate(() => {
      window.pw.error = null
      window.pw.snapshot = null
    })
    // Still listed, and the right file continues it.
    await page.setInputFiles('#file', file.path)
    expect(await page.evaluate(() => window.pw.list())).toHaveLength(1)
    await continueAndCheck(page, file, recorded, before, 'file')
    await context.close()
  })

  it('refuses a file that changed on disk since the upload began, and keeps it listed', async () => {
    const { context, page } = await interrupted('handle')
    await page.evaluate(() => window.pw.changeHandleFile())
    await page.evaluate(() => window.pw.list())
    await page.evaluate(() => window.pw.continueFirst())
    await waitFor(page, 'w.error !== null')
    const error = await page.evaluate(() => window.pw.error)
    expect(error?.code).toBe('file_changed')
    expect(error?.message).toMatch(/changed since the upload began/)
    expect(await page.evaluate(() => window.pw.list())).toHaveLength(1)
    await context.close()
  })

  it('discard() leaves no record, no kept entry and no copy', async () => {
    const { context, page } = await interrupted('file', { keepCopy: true })
    expect(await page.evaluate(() => window.pw.list())).toHaveLength(1)
    expect(await page.evaluate(() => window.pw.discardFirst())).toBeNull()
    expect(await leftovers(page)).toEqual({ records: 0, entries: 0, copies: [] })
    expect(await page.evaluate(() => window.pw.list())).toEqual([])
    await context.close()
  })

  it('cancel() leaves no record, no kept entry and no copy', async () => {
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 200 }],
    })
    const file = rig.diskFile(PART * PARTS, 'cancelled.bin')
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    await page.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
    await page.setInputFiles('#file', file.path)
    await page.evaluate(() => window.pw.start('file', { keepCopy: true }))
    await waitForRecordedParts(page, 2)
    expect((await leftovers(page)).copies).toHaveLength(1)
    await page.evaluate(() => window.pw.cancel())
    await expect.poll(() => leftovers(page)).toEqual({ records: 0, entries: 0, copies: [] })
    await context.close()
  })

  it('an expired record takes its kept entry and its copy with it', async () => {
    const { context, page } = await interrupted('file', { keepCopy: true })
    expect((await leftovers(page)).copies).toHaveLength(1)
    // 24 hours later, as far as the record knows.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage).filter((k) => k.startsWith('partwise:'))) {
        const record = JSON.parse(localStorage.getItem(key) ?? '{}')
        localStorage.setItem(key, JSON.stringify({ ...record, expires: Date.now() - 1 }))
      }
    })
    expect(await page.evaluate(() => window.pw.list())).toEqual([])
    expect(await leftovers(page)).toEqual({ records: 0, entries: 0, copies: [] })
    await context.close()
  })

  it('two tabs: one continues, the other lists it as continuing elsewhere and cannot', async () => {
    const { context, page: first } = await interrupted('handle')
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 400 }],
    })
    const second = await context.newPage()
    await second.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
    await first.evaluate(() => window.pw.list())
    await first.evaluate(() => window.pw.continueFirst())
    await waitFor(first, "w.snapshot && ['verifying', 'uploading'].includes(w.snapshot.status)")
    const [seen] = await second.evaluate(() => window.pw.list())
    expect(seen).toMatchObject({ elsewhere: true })
    await second.evaluate(() => window.pw.continueFirst())
    await waitFor(second, 'w.error !== null')
    expect(await second.evaluate(() => window.pw.error?.code)).toBe('continuing_elsewhere')
    expect(await second.evaluate(() => window.pw.discardFirst())).toBe('continuing_elsewhere')
    await waitFor(first, "w.snapshot && w.snapshot.status === 'success'")
    expect(await first.evaluate(() => window.pw.sessions)).toBe(0)
    expect(await second.evaluate(() => window.pw.sessions)).toBe(0)
    await context.close()
  })

  it('keepCopy with maxBytes smaller than the file: no copy, a normal upload', async () => {
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 100 }],
    })
    const file = rig.diskFile(PART * 8, 'max-bytes.bin')
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    await page.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
    await page.setInputFiles('#file', file.path)
    await page.evaluate(() => window.pw.start('file', { keepCopy: { maxBytes: 1000 } }))
    await waitFor(page, 'w.snapshot && w.snapshot.partsAcknowledged >= 2')
    expect((await leftovers(page)).copies).toEqual([])
    await waitFor(page, "w.snapshot && w.snapshot.status === 'success'")
    const media = (await page.evaluate(() => window.pw.snapshot?.result)) as { id: string }
    const stored = await rig.control<{ sha256: string }>('GET', `/__control/media/${media.id}`)
    expect(stored.sha256).toBe(file.sha256)
    expect(await page.evaluate(() => window.pw.error)).toBeNull()
    await expect.poll(() => leftovers(page)).toEqual({ records: 0, entries: 0, copies: [] })
    await context.close()
  })
})
