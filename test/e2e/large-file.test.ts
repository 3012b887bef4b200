import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchFile } from '../../bench/files.ts'
import { chromiumProcesses, processKind, rssByKind } from '../../bench/proc.ts'
import { type Rig, startRig, waitForSnapshot } from '../support/e2e.ts'

/**
 * A 2 GiB file from disk through the core in Chromium: it completes byte-identical, and the
 * renderer's memory stays flat in the file's size (the whole browser's figure, network
 * service included, is the benchmark's). The page uploads 8 MiB parts, 2 at a time,
 * so the bound is 2 × 8 MiB + 32 MiB (PERFORMANCE.md: Blob.slice views cost nothing; a
 * client that copies parts grows with the file).
 */
const GiB = 1024 ** 3
const PART = 8 * 1024 ** 2
const CONCURRENCY = 2 // test/e2e/page/main.ts
const BOUND = CONCURRENCY * PART + 32 * 1024 ** 2

let rig: Rig
beforeAll(async () => {
  rig = await startRig('test/e2e/page')
}, 60_000)
afterAll(() => rig?.stop())

/** The renderers' resident memory: where the page, its Blobs and its JS heap live. */
const rendererRss = (): number => {
  const kinds = new Map(chromiumProcesses().map((p) => [p.pid, processKind(p.pid)]))
  return rssByKind(kinds).renderer ?? 0
}

describe('a 2 GiB file', () => {
  it('completes byte-identical with the renderer’s memory bounded by the parts in flight', async () => {
    const file = await benchFile(2 * GiB)
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
    await page.waitForTimeout(300)
    const baseline = rendererRss()
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, rendererRss())
    }, 100)
    try {
      await page.setInputFiles('#file', file.path)
      await waitForSnapshot(page, "s.status === 'success'", 120_000)
    } finally {
      clearInterval(sampler)
    }
    const growth = peak - baseline
    console.log(
      `Renderer RSS growth: ${(growth / 1024 ** 2).toFixed(1)} MiB (bound ${BOUND / 1024 ** 2} MiB)`,
    )
    expect(growth).toBeLessThanOrEqual(BOUND)
    const media = (await page.evaluate(() => window.partwise.snapshot?.result)) as { id: string }
    const stored = await rig.control<{ sha256: string; filesize: number }>(
      'GET',
      `/__control/media/${media.id}`,
    )
    expect(stored.filesize).toBe(2 * GiB)
    expect(stored.sha256).toBe(file.sha256)
    await page.close()
  }, 240_000)
})
