import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { benchFile } from '../../bench/files.ts'
import { chromiumProcesses, processKind, rssByKind } from '../../bench/proc.ts'
import { type Rig, startRig, waitForSnapshot } from '../support/e2e.ts'

/**
 * A 2 GiB file (a size past 2³¹ − 1, the largest 32-bit offset) from disk through the core in
 * Chromium: it completes byte-identical, and the page's renderer memory stays flat in the file's
 * size (the whole browser's figure, network service included, is the benchmark's). The page
 * uploads 8 MiB parts, 2 at a time (PERFORMANCE.md: Blob.slice views cost nothing; a client that
 * copies parts grows with the file).
 */
const GiB = 1024 ** 3
const MiB = 1024 ** 2
const SIZE = 2 * GiB
const PART = 8 * MiB
const CONCURRENCY = 2 // test/e2e/page/main.ts
const IN_FLIGHT = CONCURRENCY * PART
/**
 * Growth of the page's renderer from its settled baseline to its peak: the parts in flight, plus
 * 64 MiB for what the renderer allocates during a long upload whatever the file's size (XHR and
 * IPC buffers, and garbage the JS heap has not collected yet: a busy renderer gets little idle
 * time to collect in). Measured on the shared two-core machine (load average 20): 17.8 MiB for
 * the page's renderer alone after the page settled; the old way (every renderer summed, the
 * baseline 300 ms after the page load) read 11.2 MiB in that run and 46.9 MiB once. The bound
 * keeps 33 MiB over the worst figure seen; a client that keeps its parts passes it within the
 * file's first 100 MiB.
 */
const BOUND = IN_FLIGHT + 64 * MiB

let rig: Rig
beforeAll(async () => {
  rig = await startRig('test/e2e/page')
}, 60_000)
afterAll(() => rig?.stop())

/** Resident memory of each renderer process, by pid. */
const renderers = (): Map<number, number> => {
  const rss = new Map<number, number>()
  for (const { pid } of chromiumProcesses()) {
    if (processKind(pid) === 'renderer') rss.set(pid, rssByKind(new Map([[pid, 'r']])).r ?? 0)
  }
  return rss
}

describe('a 2 GiB file', () => {
  it('completes byte-identical with the renderer’s memory bounded by the parts in flight', async () => {
    const file = await benchFile(SIZE)
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl('index.html', { chunk: String(PART) }))
    // The page's modules run and settle before the baseline: their own start is not the upload's.
    await page.waitForFunction(() => window.partwise !== undefined)
    await page.waitForTimeout(1_000)
    // The page's renderer exists now: only processes alive at the baseline are counted, each
    // against its own baseline, so a spare renderer Chromium starts meanwhile is not the page's.
    const baseline = renderers()
    const growth = () => {
      let most = 0
      for (const [pid, rss] of renderers()) {
        const base = baseline.get(pid)
        if (base !== undefined) most = Math.max(most, rss - base)
      }
      return most
    }
    let peak = 0
    let sampling = true
    const sample = async () => {
      while (sampling) {
        peak = Math.max(peak, growth())
        await new Promise((done) => setTimeout(done, 100))
      }
    }
    const sampler = sample()
    try {
      await page.setInputFiles('#file', file.path)
      await waitForSnapshot(page, "s.status === 'success'", 400_000)
    } finally {
      sampling = false
      await sampler
    }
    console.log(`Renderer RSS growth: ${(peak / MiB).toFixed(1)} MiB (bound ${BOUND / MiB} MiB)`)
    expect(peak).toBeLessThanOrEqual(BOUND)
    const media = (await page.evaluate(() => window.partwise.snapshot?.result)) as { id: string }
    const stored = await rig.control<{ sha256: string; filesize: number }>(
      'GET',
      `/__control/media/${media.id}`,
    )
    expect(stored.filesize).toBe(SIZE)
    expect(stored.sha256).toBe(file.sha256)
    await page.close()
  }, 480_000)
})
