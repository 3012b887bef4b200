import { rmSync } from 'node:fs'
import { setTimeout } from 'node:timers/promises'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  type Rig,
  recordedParts,
  startRig,
  waitForRecordedParts,
  waitForSnapshot,
} from '../support/e2e.ts'
import { S3_MIN_PART } from '../support/rig-store.ts'

interface RequestRecord {
  method: string
  path: string
  index: number | null
  status: number
  startedAt: number
  endedAt: number
}

let rig: Rig
beforeAll(async () => {
  rig = await startRig('test/e2e/page')
}, 60_000)
afterAll(() => rig?.stop())
beforeEach(() => rig.control('POST', '/__control/reset'))

const PART = 64 * 1024

/**
 * The reload case's shape: `parts` parts of `part` bytes; the second half is stored but its
 * answers held, and the reload comes once `recorded` parts are in the page's resume record.
 * S3 needs parts of 5 MiB (all but the last), so it gets fewer of them.
 */
interface ReloadShape {
  part: number
  parts: number
  recorded: number
}

async function reloadAndResume(rig: Rig, { part, parts, recorded: atLeast }: ReloadShape) {
  const puts = async () =>
    (await rig.control<{ requests: RequestRecord[] }>('GET', '/__control/stats')).requests.filter(
      (r) => r.method === 'PUT',
    )
  // The second half of the parts is stored but its answers held until the page goes away: the
  // first page can never finish, however late the reload comes (its record is written at most
  // once a second, so waiting for recorded parts could otherwise outlast a fast upload).
  const held = [...Array(parts).keys()].slice(parts / 2).map((index) => ({
    method: 'PUT',
    path: '/store/resumable',
    index,
    stallMs: 120_000,
  }))
  await rig.control('PUT', '/__control/faults', {
    rules: [...held, { method: 'PUT', path: '/store/resumable', latencyMs: 120 }],
  })
  const file = rig.diskFile(part * parts)
  const page = await rig.browser.newPage()
  await page.goto(rig.pageUrl('index.html', { chunk: String(part) }))
  await page.setInputFiles('#file', file.path)
  await waitForRecordedParts(page, atLeast)
  // What the client knows is its resume record, not what the server answered: a part the
  // server acknowledged just before the reload may never have reached the page, and sending
  // it again is right. Parts acknowledged between this read and the reload may still land in
  // the record, so the record the reloaded page starts from is read again after the reload.
  const beforeReload = await recordedParts(page)
  expect(beforeReload.length).toBeGreaterThanOrEqual(atLeast)
  await page.reload()
  const recorded = await recordedParts(page)
  for (const index of beforeReload) expect(recorded).toContain(index)
  // The old page's parts in flight were aborted: once they have all ended at the server, the
  // requests logged after `before` are the reloaded page's.
  while ((await puts()).some((r) => r.endedAt === 0)) await setTimeout(20)
  const before = (await puts()).length
  await rig.control('PUT', '/__control/faults', { rules: [] })

  await page.setInputFiles('#file', file.path)
  await waitForSnapshot(page, "s.status === 'success'")
  const state = await page.evaluate(() => window.partwise)
  expect(state.sessions).toBe(0) // the stored URL was used; no new session
  expect(state.snapshot?.resumed).toBe(true)
  const media = state.snapshot?.result as { id: string }
  const stored = await rig.control<{ sha256: string }>('GET', `/__control/media/${media.id}`)
  expect(stored.sha256).toBe(file.sha256)

  // Exactly the parts missing from the record, each once.
  const resent = (await puts()).slice(before).map((r) => r.index)
  const missing = [...Array(parts).keys()].filter((index) => !recorded.includes(index))
  expect([...resent].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(missing)
  await page.close()
}

describe('a real page reload in the middle of an upload (Chromium, Playwright)', () => {
  it('resumes when the same file is picked again, sending only the parts not acknowledged', () =>
    reloadAndResume(rig, { part: PART, parts: 16, recorded: 6 }))
})

describe('a real page reload in the middle of an upload to S3 (Swift)', () => {
  let s3Rig: Rig
  beforeAll(async () => {
    s3Rig = await startRig('test/e2e/page', { store: 's3' })
  }, 240_000)
  afterAll(() => s3Rig?.stop(), 60_000)

  it('resumes when the same file is picked again, sending only the parts not acknowledged', () =>
    reloadAndResume(s3Rig, { part: S3_MIN_PART, parts: 6, recorded: 2 }))
})

describe('Playwright offline mode in the middle of an upload', () => {
  it('holds the parts while offline and completes byte-identical once online', async () => {
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 100 }],
    })
    const file = rig.diskFile(PART * 12, 'offline.bin')
    const context = await rig.browser.newContext()
    const page = await context.newPage()
    await page.goto(rig.pageUrl('index.html'))
    await page.setInputFiles('#file', file.path)
    await waitForSnapshot(page, 's.partsAcknowledged >= 2')
    await context.setOffline(true)
    await waitForSnapshot(page, "s.status === 'offline'")
    await page.waitForTimeout(500)
    const whileOffline = await page.evaluate(() => window.partwise)
    expect(whileOffline.snapshot?.status).toBe('offline')
    expect(whileOffline.error).toBeNull()
    await context.setOffline(false)
    await waitForSnapshot(page, "s.status === 'success'")
    const media = (await page.evaluate(() => window.partwise.snapshot?.result)) as { id: string }
    const stored = await rig.control<{ sha256: string }>('GET', `/__control/media/${media.id}`)
    expect(stored.sha256).toBe(file.sha256)
    await context.close()
  })
})

describe('a file deleted from disk in the middle of an upload', () => {
  it('fails with file_unreadable, and sends no completion', async () => {
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 150 }],
    })
    const file = rig.diskFile(PART * 12, 'vanishing.bin')
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl('index.html'))
    await page.setInputFiles('#file', file.path)
    await waitForSnapshot(page, 's.partsAcknowledged >= 2')
    rmSync(file.path)
    await waitForSnapshot(page, "s.status === 'error'")
    const state = await page.evaluate(() => ({
      code: window.partwise.snapshot?.error?.code,
      message: window.partwise.error,
    }))
    expect(state.code).toBe('file_unreadable')
    expect(state.message).toMatch(/moved, changed or deleted/)
    const stats = await rig.control<{ completions: number }>('GET', '/__control/stats')
    expect(stats.completions).toBe(0)
    await page.close()
  })
})

describe('two tabs uploading the same file at once', () => {
  it('gives each tab its own session, and both files arrive byte-identical', async () => {
    await rig.control('PUT', '/__control/faults', {
      rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 60 }],
    })
    const file = rig.diskFile(PART * 10, 'shared.bin')
    const context = await rig.browser.newContext()
    const [first, second] = [await context.newPage(), await context.newPage()]
    await first.goto(rig.pageUrl('index.html'))
    await second.goto(rig.pageUrl('index.html'))
    await first.setInputFiles('#file', file.path)
    await waitForSnapshot(first, 's.partsAcknowledged >= 2')
    await second.setInputFiles('#file', file.path)
    await waitForSnapshot(first, "s.status === 'success'")
    await waitForSnapshot(second, "s.status === 'success'")
    const ids = new Set<string>()
    for (const page of [first, second]) {
      const state = await page.evaluate(() => window.partwise)
      expect(state.sessions).toBe(1) // neither took the other's record
      const media = state.snapshot?.result as { id: string }
      ids.add(media.id)
      const stored = await rig.control<{ sha256: string }>('GET', `/__control/media/${media.id}`)
      expect(stored.sha256).toBe(file.sha256)
    }
    expect(ids.size).toBe(2)
    const leftover = await first.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('partwise:')),
    )
    expect(leftover).toEqual([])
    await context.close()
  })
})
