import type { BrowserContext, Page } from 'playwright'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type FaultRule,
  FILE_INPUT,
  type RequestRecord,
  startUiRig,
  type UiRig,
  type UiState,
  waitForResults,
} from '../support/e2e-ui.ts'
import { S3_MIN_PART, type StoreName } from '../support/rig-store.ts'

/**
 * The fault matrix, through `<Upload />` in Chromium: each cell is a real upload of several
 * parts under one kind of trouble, and ends with the stored bytes' sha256 checked on the server.
 * It runs twice: on the disk, and on S3 (Swift), where every part but the last must be at least
 * 5 MiB, so that store gets fewer, bigger parts (and a short last one) to keep the suite fast.
 */
interface Shape {
  store: StoreName
  /** The page's part size. */
  part: number
  parts: number
  /** The file's size: `parts` parts, the last perhaps shorter. */
  size: number
}

const SHAPES: readonly Shape[] = [
  { store: 'disk', part: 64 * 1024, parts: 8, size: 8 * 64 * 1024 },
  // Five parts: every cell's indexes (3, the 4th part after three) and bursts (five 503s, three
  // drops) fit, and S3's part-size rule is exercised with a last part below the minimum.
  { store: 's3', part: S3_MIN_PART, parts: 5, size: 4 * S3_MIN_PART + 1024 * 1024 + 7 },
]

const PUT = { method: 'PUT', path: '/store/resumable' } as const

async function until(check: () => Promise<boolean>, timeout = 20_000): Promise<void> {
  const end = Date.now() + timeout
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the server side')
    await new Promise((done) => setTimeout(done, 25))
  }
}

interface Cell {
  name: string
  rules: FaultRule[]
  query?: Record<string, string>
  /** Runs once the file is picked; the page and its context, to act on the upload. */
  during?: (page: Page, context: BrowserContext) => Promise<void>
  /** Extra checks on the server's request log, after the successful upload. */
  check?: (puts: RequestRecord[]) => void
}

function faultMatrix({ store, part, parts, size }: Shape): void {
  let rig: UiRig
  beforeAll(async () => {
    rig = await startUiRig({ store })
  }, 240_000)
  afterAll(() => rig?.stop(), 60_000)
  beforeEach(() => rig.control('POST', '/__control/reset'))

  const partPuts = async (): Promise<RequestRecord[]> =>
    (await rig.stats()).requests.filter((r) => r.method === 'PUT' && r.path === '/store/resumable')
  const acknowledged = async (): Promise<number> =>
    (await partPuts()).filter((r) => r.status === 200).length

  const cells: Cell[] = [
    {
      name: '5xx bursts (503 on five parts, 500 on the completion)',
      rules: [
        { ...PUT, status: 503, times: 5 },
        { method: 'POST', path: '/store/resumable', status: 500, times: 1 },
      ],
      check: (puts) => expect(puts.filter((r) => r.status === 503)).toHaveLength(5),
    },
    {
      name: 'dropped connections (three parts cut mid-body)',
      rules: [{ ...PUT, drop: true, times: 3 }],
      check: (puts) => expect(puts.filter((r) => r.faulted)).toHaveLength(3),
    },
    {
      name: '429 with Retry-After: 1 (honoured: the retry waits about a second)',
      rules: [{ ...PUT, index: 3, status: 429, retryAfter: '1', times: 1 }],
      check: (puts) => {
        const [refused, retried] = puts.filter((r) => r.index === 3)
        expect(refused?.status).toBe(429)
        expect(retried?.status).toBe(200)
        expect((retried?.startedAt ?? 0) - (refused?.endedAt ?? 0)).toBeGreaterThanOrEqual(900)
      },
    },
    {
      name: 'a stalled response (held 20 s; stallTimeoutMs 1500 aborts and re-sends it)',
      rules: [{ ...PUT, index: 2, stallMs: 20_000, times: 1 }],
      query: { stall: '1500' },
      check: (puts) => {
        const sends = puts.filter((r) => r.index === 2)
        expect(sends.length).toBeGreaterThanOrEqual(2)
        expect(sends.at(-1)?.status).toBe(200)
      },
    },
    {
      name: 'latency spikes (1.2 s on about a third of the parts): nothing re-sent',
      rules: [{ ...PUT, latencyMs: 1_200, probability: 0.35 }],
      check: (puts) => {
        expect(puts).toHaveLength(parts)
        expect(new Set(puts.map((r) => r.index)).size).toBe(parts)
      },
    },
    {
      name: 'reordered completions (parts 0 and 1 slow, the later parts finish first)',
      // All eight parts at once, so parts 2-7 have to beat the held two in one round trip, not in
      // six one after another (which a loaded machine made last longer than the hold).
      rules: [
        { ...PUT, index: 0, latencyMs: 2_500 },
        { ...PUT, index: 1, latencyMs: 2_000 },
      ],
      query: { concurrency: String(parts) },
      check: (puts) => {
        const ended = (index: number) => puts.find((r) => r.index === index)?.endedAt ?? 0
        expect(ended(0)).toBeGreaterThan(ended(parts - 1))
        expect(ended(1)).toBeGreaterThan(ended(parts - 1))
      },
    },
    {
      name: 'the browser going offline and back online in the middle of a part',
      rules: [{ ...PUT, latencyMs: 250 }],
      query: { concurrency: '2' },
      during: async (page, context) => {
        await until(async () => (await acknowledged()) >= 2)
        await context.setOffline(true)
        await expect
          .poll(() => page.locator('.partwise__item .partwise__status').textContent(), {
            timeout: 10_000,
          })
          .toMatch(/Offline/)
        await page.waitForTimeout(400)
        await context.setOffline(false)
      },
    },
  ]

  async function pick(
    cell: { query?: Record<string, string> },
    name: string,
  ): Promise<{
    page: Page
    context: BrowserContext
    sha256: string
  }> {
    const file = rig.diskFile(size, name)
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    await page.goto(rig.pageUrl({ chunk: String(part), ...cell.query }))
    await page.setInputFiles(FILE_INPUT, file.path)
    return { page, context, sha256: file.sha256 }
  }

  const rowStatus = (page: Page): Promise<string | null> =>
    page.locator('.partwise__item').getAttribute('data-status')

  async function expectStored(state: UiState, sha256: string): Promise<void> {
    expect(state.results).toHaveLength(1)
    const [result] = state.results
    expect(result?.errorMessage ?? null).toBeNull()
    expect(result?.status).toBe('success')
    expect(await rig.mediaSha256(result?.mediaId ?? '')).toBe(sha256)
    expect((await rig.stats()).completions).toBe(1)
  }

  it.each(cells)('$name', async (cell) => {
    await rig.faults(cell.rules)
    const { page, context, sha256 } = await pick(
      cell,
      `${cell.name.replace(/\W+/g, '-').slice(0, 40)}.bin`,
    )
    await cell.during?.(page, context)
    const state = await waitForResults(page, 1)
    expect(await rowStatus(page)).toBe('success')
    await expectStored(state, sha256)
    cell.check?.(await partPuts())
    await context.close()
  })

  it('the upload URL expiring mid-upload: a clear error on screen, no completion sent', async () => {
    await rig.faults([{ ...PUT, afterParts: 3, expire: true, times: 1 }])
    const { page, context } = await pick({ query: { concurrency: '1' } }, 'expiring.bin')
    const state = await waitForResults(page, 1)
    expect(state.results[0]?.status).toBe('error')
    const row = page.locator('.partwise__item')
    expect(await row.getAttribute('data-status')).toBe('error')
    const error = row.locator('.partwise__errors')
    expect(await error.isVisible()).toBe(true)
    expect(await error.textContent()).toMatch(/expired/i)
    expect(await row.locator('.partwise__status').textContent()).toBe('Failed')
    expect((await rig.stats()).completions).toBe(0)
    await context.close()
  })

  it('the server restarting mid-upload (same port, data and secret): completes intact', async () => {
    await rig.faults([{ ...PUT, latencyMs: 200 }])
    // The page's fast test backoff (100 ms base, 6 attempts: 1.55 s at least) can end inside a
    // slow restart on a loaded machine: this cell uses the library's own backoff (500 ms base,
    // 30 s cap: 7.75 s at least) with 8 attempts, a window no restart here comes close to.
    const query = { concurrency: '2', retryBase: '500', retryMax: '30000', attempts: '8' }
    const { page, context, sha256 } = await pick({ query }, 'restart.bin')
    await until(async () => (await acknowledged()) >= 2)
    await rig.stopServer()
    await page.waitForTimeout(800)
    await rig.startServer() // a new process-equivalent: no faults, empty stats
    const state = await waitForResults(page, 1)
    // The stored check first: a failure then shows the upload's own error message.
    await expectStored(state, sha256)
    expect(await rowStatus(page)).toBe('success')
    await context.close()
  })
}

const sizeText = (bytes: number): string =>
  bytes % 2 ** 20 === 0 ? `${bytes / 2 ** 20} MiB` : `${bytes / 1024} KiB`

for (const shape of SHAPES) {
  const title = `${shape.parts} parts of ${sizeText(shape.part)}, sha256 checked on the server`
  describe(`fault matrix through <Upload /> on ${shape.store} (${title})`, () => faultMatrix(shape))
}
