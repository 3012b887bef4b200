import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FILE_INPUT, startUiRig, type UiRig, waitForResults } from '../support/e2e-ui.ts'

/** 200 small files picked at once through `<Upload multiple />`: each uploads exactly once. */
let rig: UiRig
beforeAll(async () => {
  rig = await startUiRig()
}, 60_000)
afterAll(() => rig?.stop())

const COUNT = 200

describe('many files queued at once through the input', () => {
  it(`${COUNT} small files all finish, each exactly once, every sha256 right`, async () => {
    await rig.control('POST', '/__control/reset')
    const files = Array.from({ length: COUNT }, (_, i) =>
      rig.diskFileIn('many', 1024 + ((i * 977) % 7000), `small-${String(i).padStart(3, '0')}.bin`),
    )
    const page = await rig.browser.newPage()
    await page.goto(rig.pageUrl({ parallel: '10' }))
    await page.setInputFiles(
      FILE_INPUT,
      files.map((f) => f.path),
    )
    // Minutes, not seconds, may pass on a loaded two-core machine: 200 rows re-render in
    // development React while the server stores 200 files. A hang still fails within the limit.
    const state = await waitForResults(page, COUNT, 170_000)

    expect(state.results.filter((r) => r.status === 'success')).toHaveLength(COUNT)
    expect(new Set(state.results.map((r) => r.name)).size).toBe(COUNT)
    expect(new Set(state.results.map((r) => r.mediaId)).size).toBe(COUNT)
    expect(state.sessions).toBe(COUNT)
    await page.waitForFunction(() => window.ui.completeCalls > 0, undefined, { timeout: 30_000 })
    expect(await page.evaluate(() => window.ui.completeCalls)).toBe(1)
    expect(await page.locator('.partwise__item[data-status="success"]').count()).toBe(COUNT)

    const stats = await rig.stats()
    expect(stats.completions).toBe(COUNT)
    const byName = new Map(files.map((f) => [f.path.split('/').at(-1), f.sha256]))
    const digests = await Promise.all(
      state.results.map(async (r) => [r.name, await rig.mediaSha256(r.mediaId ?? '')] as const),
    )
    for (const [name, sha256] of digests) expect(sha256).toBe(byName.get(name))
    await page.close()
  }, 180_000)
})
