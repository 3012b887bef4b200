/**
 * `npm run test:soak`: a bounded soak of `<Upload />` in Chromium against the reference server
 * under a ~10% fault rate (503s, dropped connections, latency spikes). Batches of files are
 * picked through the page's file input, one after another, until the time is up.
 *
 *   npm run test:soak                  3 minutes
 *   npm run test:soak -- --minutes 2
 *   npm run test:soak -- --hammer      the exactly-once hammer instead (scripts/soak-hammer.ts)
 *
 * Counts uploads attempted, completed (sha256 checked on the server), failed with a clear error
 * on screen, failed unclearly or stuck, and bytes lost (completed uploads whose stored bytes
 * differ). Prints one summary line, writes bench/results/soak.json, and exits non-zero when any
 * byte was lost or any upload hung or failed without words.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import type { Page } from 'playwright'
import {
  type FaultRule,
  FILE_INPUT,
  startUiRig,
  type UiState,
  uiState,
} from '../test/support/e2e-ui.ts'

function minutesArg(argv: readonly string[]): number {
  const at = argv.indexOf('--minutes')
  const raw = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--minutes='))?.slice(10)
  const minutes = raw === undefined ? 3 : Number(raw)
  if (!Number.isFinite(minutes) || minutes <= 0) {
    console.error(`--minutes must be a positive number, not ${raw}`)
    process.exit(2)
  }
  return minutes
}

/** About 10% of upload-URL requests hit: each rule rolls on its own, the first hit wins. */
const FAULTS: FaultRule[] = [
  { path: '/store/resumable', status: 503, probability: 0.04 },
  { method: 'PUT', path: '/store/resumable', drop: true, probability: 0.03 },
  { path: '/store/resumable', latencyMs: 1_500, probability: 0.03 },
]
const KiB = 1024
const BATCH = 4
const BATCH_TIMEOUT_MS = 90_000
/** A fresh page now and then keeps the file list (and the page's memory) small. */
const BATCHES_PER_PAGE = 15

const minutes = minutesArg(process.argv.slice(2))
if (process.argv.includes('--hammer')) {
  const { soakHammer } = await import('./soak-hammer.ts')
  process.exit(soakHammer(minutes))
}
const deadline = Date.now() + minutes * 60_000
const rig = await startUiRig()
await rig.control('POST', '/__control/reset')
await rig.faults(FAULTS)

const counts = {
  attempted: 0,
  completed: 0,
  failedClearly: 0,
  failedUnclearly: 0,
  stuck: 0,
  bytesCompleted: 0,
  bytesLost: 0,
  uploadsCorrupted: 0,
}
const errors = new Map<string, number>()
let serial = 0
let page: Page | null = null
let batches = 0
const started = Date.now()

async function freshPage(): Promise<Page> {
  await page?.close()
  const next = await rig.browser.newPage()
  await next.goto(rig.pageUrl({ chunk: String(64 * KiB), concurrency: '3', parallel: '3' }))
  return next
}

try {
  while (Date.now() < deadline) {
    if (!page || batches % BATCHES_PER_PAGE === 0) page = await freshPage()
    batches++
    const before = (await uiState(page)).results.length
    const files = Array.from({ length: BATCH }, () => {
      serial++
      // 16 KiB to 1 MiB: from one part to sixteen.
      const size = 16 * KiB + ((serial * 104_729) % (1008 * KiB))
      return rig.diskFileIn('soak', size, `soak-${String(serial).padStart(5, '0')}.bin`)
    })
    counts.attempted += files.length
    await page.setInputFiles(
      FILE_INPUT,
      files.map((f) => f.path),
    )
    let state: UiState
    try {
      await page.waitForFunction((n) => window.ui.results.length >= n, before + files.length, {
        timeout: BATCH_TIMEOUT_MS,
        polling: 100,
      })
      state = await uiState(page)
    } catch {
      state = await uiState(page)
      const ended = state.results.length - before
      counts.stuck += files.length - ended
      console.error(`batch ${batches}: ${files.length - ended} upload(s) did not end in time`)
      page = await freshPage()
      batches = 1
    }
    const expected = new Map(
      files.map((f) => [f.path.split('/').at(-1) ?? '', { sha256: f.sha256, path: f.path }]),
    )
    for (const result of state.results.slice(before)) {
      const file = expected.get(result.name)
      if (!file) continue
      if (result.status === 'success' && result.mediaId) {
        const size = statSync(file.path).size
        const stored = await rig.mediaSha256(result.mediaId).catch(() => 'unreadable')
        if (stored === file.sha256) {
          counts.completed++
          counts.bytesCompleted += size
        } else {
          counts.uploadsCorrupted++
          counts.bytesLost += size
          console.error(`${result.name}: stored sha256 ${stored}, expected ${file.sha256}`)
        }
      } else if (result.errorMessage && result.errorMessage.length > 10) {
        counts.failedClearly++
        const key = `${result.errorCode}: ${result.errorMessage.replace(/part \d+/, 'part N')}`
        errors.set(key, (errors.get(key) ?? 0) + 1)
      } else {
        counts.failedUnclearly++
        console.error(`${result.name}: ended ${result.status} without a clear error`)
      }
    }
  }
} finally {
  const stats = await rig.stats().catch(() => null)
  await rig.stop()
  const seconds = Math.round((Date.now() - started) / 1000)
  const faulted = stats?.requests.filter((r) => r.faulted).length ?? 0
  const requests = stats?.requests.filter((r) => r.path.startsWith('/store/')).length ?? 0
  const report = {
    minutes,
    seconds,
    faultRules: FAULTS,
    ...counts,
    requestsToUploadUrls: requests,
    requestsFaulted: faulted,
    serverCompletions: stats?.completions ?? null,
    errors: Object.fromEntries(errors),
  }
  mkdirSync('bench/results', { recursive: true })
  writeFileSync('bench/results/soak.json', `${JSON.stringify(report, null, 2)}\n`)
  console.log(
    `soak ${seconds}s: ${counts.attempted} attempted, ${counts.completed} completed (sha256 ok), ` +
      `${counts.failedClearly} failed with a clear error, ${counts.failedUnclearly} unclear, ` +
      `${counts.stuck} stuck, ${counts.bytesLost} bytes lost; ` +
      `${faulted}/${requests} upload-URL requests faulted → bench/results/soak.json`,
  )
  const bad = counts.bytesLost > 0 || counts.uploadsCorrupted > 0 || counts.stuck > 0
  process.exitCode = bad || counts.failedUnclearly > 0 ? 1 : 0
}
