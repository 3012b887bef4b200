import { setTimeout } from 'node:timers/promises'
import type { Page, Request } from 'playwright'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { recordedParts, waitForRecordedParts } from '../support/e2e.ts'
import {
  FILE_INPUT,
  type RequestRecord,
  startUiRig,
  type UiRig,
  waitForResults,
} from '../support/e2e-ui.ts'

/**
 * `<Upload />` in Chromium against the reference server: a reload in the middle of an upload,
 * bad input that must fail in words (and as text, never as HTML) without writing anything, and
 * the rule that no request to an upload URL carries an Authorization header.
 */
let rig: UiRig
beforeAll(async () => {
  rig = await startUiRig()
}, 60_000)
afterAll(() => rig?.stop())
beforeEach(() => rig.control('POST', '/__control/reset'))

const PART = 64 * 1024
const PUT = { method: 'PUT', path: '/store/resumable' } as const

const storeRequests = async (): Promise<RequestRecord[]> =>
  (await rig.stats()).requests.filter((r) => r.path.startsWith('/store/'))
const partPuts = async (): Promise<RequestRecord[]> =>
  (await storeRequests()).filter((r) => r.method === 'PUT')

const row = (page: Page) => page.locator('.partwise__item')
const errorText = async (page: Page): Promise<string> => {
  const error = row(page).locator('.partwise__errors')
  expect(await error.isVisible()).toBe(true)
  return (await error.textContent()) ?? ''
}

/** Nothing reached the upload URL: no part, no completion, not one body byte. */
async function expectNothingWritten(): Promise<void> {
  const stats = await rig.stats()
  expect(stats.requests.filter((r) => r.path.startsWith('/store/'))).toEqual([])
  expect(stats.bytesReceived).toBe(0)
  expect(stats.completions).toBe(0)
}

describe('a page reload in the middle of an upload, through <Upload />', () => {
  it('resumes when the same file is picked again, sending only what is missing', async () => {
    const parts = 16
    // Parts 8–15 are stored but their answers held until the page goes away: the first page can
    // never finish, however late the reload comes (the record is written at most once a second).
    const held = [8, 9, 10, 11, 12, 13, 14, 15].map((index) => ({
      ...PUT,
      index,
      stallMs: 120_000,
    }))
    await rig.faults([...held, { ...PUT, latencyMs: 120 }])
    const file = rig.diskFile(PART * parts, 'reloaded.bin')
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    await page.goto(rig.pageUrl({ concurrency: '2' }))
    await page.setInputFiles(FILE_INPUT, file.path)
    await waitForRecordedParts(page, 6)
    // The client knows the receipts in its resume record, not what the server answered: a part
    // answered just before the reload may never have reached the page, and sending it again is
    // right. The record the reloaded page starts from is read after the reload.
    const beforeReload = await recordedParts(page)
    await page.reload()
    const recorded = await recordedParts(page)
    for (const index of beforeReload) expect(recorded).toContain(index)
    // The old page's parts in flight were aborted: once they have all ended at the server, the
    // requests logged after `before` are the reloaded page's.
    while ((await partPuts()).some((r) => r.endedAt === 0)) await setTimeout(20)
    const before = await partPuts()
    await rig.faults([])

    await page.setInputFiles(FILE_INPUT, file.path)
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.status).toBe('success')
    expect(state.sessions).toBe(0) // the stored upload URL was used: no new session
    expect(await rig.mediaSha256(state.results[0]?.mediaId ?? '')).toBe(file.sha256)
    expect(await row(page).getAttribute('data-status')).toBe('success')

    // Exactly the parts missing from the record, each once.
    const resent = (await partPuts()).slice(before.length).map((r) => r.index)
    const missing = [...Array(parts).keys()].filter((index) => !recorded.includes(index))
    expect([...resent].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(missing)
    await context.close()
  })
})

describe('secrets: the upload URL is the credential', () => {
  it('sends no Authorization header on any request to /store/* over a whole upload', async () => {
    await rig.faults([{ ...PUT, status: 503, times: 1 }]) // a retry is covered too
    const file = rig.diskFile(PART * 6, 'secret.bin')
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    const seen: Array<{ url: string; method: string; authorization: string | undefined }> = []
    const record = async (request: Request): Promise<void> => {
      const headers = await request.allHeaders()
      seen.push({
        url: request.url(),
        method: request.method(),
        authorization: headers.authorization,
      })
    }
    const pending: Array<Promise<void>> = []
    page.on('request', (request) => {
      pending.push(record(request))
    })
    await page.goto(rig.pageUrl())
    await page.setInputFiles(FILE_INPUT, file.path)
    const state = await waitForResults(page, 1)
    await Promise.all(pending)
    expect(state.results[0]?.status).toBe('success')

    const toStore = seen.filter((r) => new URL(r.url).pathname.startsWith('/store/'))
    // 6 parts, a retried one, and the completion; preflights included when the browser shows them.
    expect(toStore.filter((r) => r.method === 'PUT').length).toBeGreaterThanOrEqual(7)
    expect(toStore.filter((r) => r.method === 'POST')).toHaveLength(1)
    for (const request of toStore) expect(request.authorization).toBeUndefined()
    // The test's stand-in backend does use the key, on POST /uploads only: the check can see it.
    const sessions = seen.filter(
      (r) => new URL(r.url).pathname === '/uploads' && r.method === 'POST',
    )
    expect(sessions[0]?.authorization).toMatch(/^Bearer /)
    await context.close()
  })
})

describe('bad input: a clear error on screen, nothing written, text never HTML', () => {
  const HTML = 'Backend said <b id="injected">no</b><img src=x onerror="window.__xss=1">'

  it('a url function that throws (its message holding HTML)', async () => {
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl({ session: 'throw' }))
    await page.setInputFiles(FILE_INPUT, rig.diskFile(PART * 2, 'thrown.bin').path)
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.errorCode).toBe('session_error')
    const text = await errorText(page)
    expect(text).toContain('Could not get an upload URL')
    expect(text).toContain(HTML) // shown literally
    expect(await page.locator('#injected').count()).toBe(0)
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()
    await expectNothingWritten()
    await page.close()
  })

  it('a session answer without url', async () => {
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl({ session: 'nourl' }))
    await page.setInputFiles(FILE_INPUT, rig.diskFile(PART * 2, 'no-url.bin').path)
    const state = await waitForResults(page, 1)
    expect(state.sessions).toBe(1)
    expect(state.results[0]?.errorCode).toBe('session_error')
    expect(await errorText(page)).toMatch(/no url/)
    expect(await row(page).getAttribute('data-status')).toBe('error')
    await expectNothingWritten()
    await page.close()
  })

  it('conditions that do not parse', async () => {
    const page = await rig.browser.newPage()
    const conditions = { operator: '&&', rules: [{ key: 'colour', operator: '~', value: 1 }] }
    await page.goto(rig.pageUrl({ conditions: JSON.stringify(conditions) }))
    await page.setInputFiles(FILE_INPUT, rig.diskFile(PART * 2, 'bad-conditions.bin').path)
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.status).toBe('error')
    expect(state.results[0]?.errorCode).toBe('invalid_conditions')
    const text = await errorText(page)
    expect(text.length).toBeGreaterThan(10)
    expect(text).toMatch(/colour|~/)
    // A failure that retrying cannot fix offers no Retry button.
    expect(
      await row(page)
        .getByRole('button', { name: /^Retry/ })
        .count(),
    ).toBe(0)
    await expectNothingWritten()
    await page.close()
  })

  it('a file whose name is HTML is shown as text, and uploads', async () => {
    const name = '<img src=x onerror="window.__xss=1">.png'
    const file = rig.diskFile(PART * 2, name)
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl())
    await page.setInputFiles(FILE_INPUT, file.path)
    const state = await waitForResults(page, 1)
    expect(await row(page).locator('.partwise__name').textContent()).toBe(name)
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()
    const [result] = state.results
    expect(result?.name).toBe(name)
    expect(result?.status).toBe('success')
    expect(await rig.mediaSha256(result?.mediaId ?? '')).toBe(file.sha256)
    await page.close()
  })

  it("the server's own error message (an injected 400) appears literally", async () => {
    await rig.faults([{ ...PUT, status: 400 }])
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl())
    await page.setInputFiles(FILE_INPUT, rig.diskFile(PART * 2, 'refused.bin').path)
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.errorCode).toBe('http_error')
    const text = await errorText(page)
    expect(text).toMatch(/HTTP 400/)
    expect(text).toContain('The server answered 400 (an injected fault); nothing was stored')
    const stats = await rig.stats()
    expect(stats.completions).toBe(0)
    // Nothing was stored: every part the server answered was refused. A part the first refusal
    // cut off (the upload ended, its request aborted) is logged unanswered, with status 0.
    const puts = await partPuts()
    expect(puts.some((r) => r.status === 400)).toBe(true)
    expect(puts.filter((r) => r.status !== 400 && r.status !== 0)).toEqual([])
    await page.close()
  })

  it('a server error message holding HTML is shown as text, never run', async () => {
    const message = '<img src=x onerror="window.__xss=1"><b id="from-server">refused</b>'
    const page = await rig.browser.newPage()
    await page.route('**/store/resumable?**', async (route) => {
      if (route.request().method() !== 'PUT') return route.continue()
      await route.fulfill({
        status: 400,
        headers: { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json' },
        body: JSON.stringify({ meta: { status: 400 }, error: { message } }),
      })
    })
    await page.goto(rig.pageUrl())
    await page.setInputFiles(FILE_INPUT, rig.diskFile(PART * 2, 'html-message.bin').path)
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.errorCode).toBe('http_error')
    expect(await errorText(page)).toContain(message)
    expect(await page.locator('#from-server').count()).toBe(0)
    expect(await page.locator('img[src="x"]').count()).toBe(0)
    expect(await page.evaluate(() => window.__xss)).toBeUndefined()
    await expectNothingWritten()
    await page.close()
  })
})
