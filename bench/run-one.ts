/**
 * One measured upload: a fresh page, a baseline, the pick, the upload, the figures, and the
 * check that the server holds exactly the file's bytes (hashed after the timed part).
 */
import type { BenchBrowser, BenchPage } from './drivers/types.ts'
import type { BenchFile } from './files.ts'
import type { WireRecord } from './host/wire-tap.ts'
import type { BenchHost } from './host-client.ts'
import { chromiumProcesses, cpuBetween, cpuByPid, cpuByThread, threadCpuBetween } from './proc.ts'
import { type ProfileSummary, startProfile, stopProfile } from './profile.ts'
import { machineBusySeconds, waitForQuiet } from './quiet.ts'
import { MemorySampler } from './sampler.ts'
import { ServerRssSampler } from './server-rss.ts'
import type { ClientSpec, LongTaskSummary, PageJob, PageOutcome } from './types.ts'

const MiB = 2 ** 20

export interface RunRecord {
  client: string
  size: number
  round: number
  driver: BenchBrowser['driver']
  ok: boolean
  /** Why the run failed, when it did. */
  error: string | null
  /** False when the server holds other bytes than the file's: the benchmark fails. */
  verified: boolean
  seconds: number
  /** 10^6 bytes per second, from the pick to the end. */
  mbps: number
  /** From the `change` event to the server's first body byte. */
  firstByteMs: number | null
  /** Chromium's RSS (all its processes) before the pick. */
  rssBaseMiB: number
  /** The highest RSS sampled during the upload, above the baseline. */
  rssPeakMiB: number
  /** At that peak, each kind of Chromium process above its own baseline. */
  rssPeakByProcessMiB: Record<string, number>
  heapBaseMiB: number
  /** The page's highest used JS heap during the upload, above the baseline. */
  heapPeakMiB: number
  longTasks: LongTaskSummary
  /** user + system time of every Chromium process (/proc/<pid>/stat), from the pick to the end. */
  chromiumCpuSeconds: number
  /** The same per `process kind/thread name` (e.g. `network/Chrome_ChildIOT`): where it went. */
  chromiumCpuByThread: Record<string, number>
  serverCpuSeconds: number
  /** The harness's own CPU during the upload (sampling, DevTools traffic): noise it adds. */
  harnessCpuSeconds: number
  /** The largest server process's RSS before the pick (absolute, not a growth). */
  serverRssBaseMiB: number
  /** Its highest RSS during the upload: flat in the file size when parts stream through. */
  serverRssPeakMiB: number
  /** CPU other processes on the machine took during the upload: the noise in this run. */
  foreignCpuSeconds: number
  /** Whether the machine was quiet before the upload, or the harness gave up waiting. */
  startedQuiet: boolean
  /** From the `change` event to the client's first request (fetch or XHR send): its own work. */
  firstSendMs: number | null
  requests: number
  /** Body bytes the servers read: the file size, plus whatever was sent twice. */
  wireBytes: number
  /** With `--profile`: where the renderer's main thread spent the upload. */
  profile?: ProfileSummary
}

export interface RunSetup {
  host: BenchHost
  browser: BenchBrowser
  pageUrl: string
  file: BenchFile
  /** Longest wait for a quiet machine before an upload. */
  quietWaitMs: number
  /** Profile the renderer's main thread during each upload (costs CPU: figures not comparable). */
  profile?: boolean
}

const NO_OUTCOME: PageOutcome = {
  ok: false,
  error: null,
  pickedAt: Number.NaN,
  endedAt: Number.NaN,
  remoteId: null,
  firstSendAt: null,
  longTasks: { count: 0, totalMs: 0, maxMs: 0 },
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Arms the page for `job` and picks the file: the upload starts in the `change` handler. */
export async function armAndPick(page: BenchPage, job: PageJob, path: string): Promise<void> {
  await page.evaluate(`window.__bench.arm(${JSON.stringify(job)})`)
  await page.pick(path)
}

/** Waits for the page's outcome, giving up at a pace no client should fall below. */
export async function outcomeOf(page: BenchPage, size: number): Promise<PageOutcome> {
  const limitMs = 60_000 + size / 5_000 // 5 MB/s
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result after ${limitMs / 1000} s`)), limitMs)
  })
  try {
    return (await Promise.race([page.evaluate('window.__bench.done()'), timeout])) as PageOutcome
  } finally {
    clearTimeout(timer)
  }
}

function growthByKind(
  base: Record<string, number>,
  peak: Record<string, number>,
): Record<string, number> {
  const kinds = new Set([...Object.keys(base), ...Object.keys(peak)])
  return Object.fromEntries(
    [...kinds].map((kind) => [kind, ((peak[kind] ?? 0) - (base[kind] ?? 0)) / MiB]),
  )
}

export function firstByteAfter(records: readonly WireRecord[], pickedAt: number): number | null {
  const first = Math.min(...records.map((r) => r.firstByteAt ?? Number.POSITIVE_INFINITY))
  return Number.isFinite(first) ? first - pickedAt : null
}

export async function runOne(
  setup: RunSetup,
  client: ClientSpec,
  round: number,
): Promise<RunRecord> {
  const { host, browser, file } = setup
  const route = client.kind === 'partwise' ? client.route : undefined
  const { url, partLimits } = await host.call('prepare', {
    kind: client.kind,
    ...(route ? { route } : {}),
  })
  const job: PageJob = {
    client,
    url,
    ...(partLimits ? { partLimits } : {}),
    resume: true,
    reloadAt: null,
  }
  const page = await browser.openPage(setup.pageUrl)
  try {
    const sampler = new MemorySampler(page)
    const serverRss = new ServerRssSampler(host.serverPids)
    await page.collectGarbage()
    // Also lets the page's start-up work (and the GC) finish: the baseline is a resting one.
    const { quiet } = await waitForQuiet(0.25, setup.quietWaitMs)
    const base = await sampler.measure()
    const processesBefore = chromiumProcesses()
    const chromiumBefore = cpuByPid(processesBefore)
    const threadsBefore = cpuByThread(processesBefore)
    const harnessBefore = process.cpuUsage()
    const machineBefore = machineBusySeconds()
    if (setup.profile) await startProfile(page)
    await host.call('begin', null)
    const serverRssBase = serverRss.now()
    sampler.start()
    serverRss.start()
    let outcome: PageOutcome
    try {
      await armAndPick(page, job, file.path)
      outcome = await outcomeOf(page, file.size)
    } catch (error) {
      // The page never answered (a hung client, a crashed renderer): a failed run, not a crash.
      outcome = { ...NO_OUTCOME, error: String(error) }
    } finally {
      sampler.stop()
    }
    const serverRssPeak = serverRss.stop()
    const peaks = sampler.stop()
    const harness = process.cpuUsage(harnessBefore)
    const processesAfter = chromiumProcesses()
    const chromiumCpuSeconds = cpuBetween(chromiumBefore, cpuByPid(processesAfter))
    const chromiumCpuByThread = threadCpuBetween(threadsBefore, cpuByThread(processesAfter))
    const wire = await host.call('end', null)
    const profile = setup.profile ? await stopProfile(page) : undefined
    const machineCpuSeconds = machineBusySeconds() - machineBefore
    const harnessCpuSeconds = (harness.user + harness.system) / 1e6
    // A digest that cannot be had counts as different bytes: the run proves nothing.
    const digest = outcome.ok
      ? await host
          .call('verify', { kind: client.kind, url, remoteId: outcome.remoteId })
          .catch((error: unknown) => {
            outcome.error = `verify: ${String(error)}`
            return null
          })
      : null
    const seconds = (outcome.endedAt - outcome.pickedAt) / 1000
    return {
      client: client.id,
      size: file.size,
      round,
      driver: browser.driver,
      ok: outcome.ok,
      error: outcome.error,
      verified: digest !== null && digest.sha256 === file.sha256 && digest.size === file.size,
      seconds,
      mbps: file.size / 1e6 / seconds,
      firstByteMs: firstByteAfter(wire.records, outcome.pickedAt),
      rssBaseMiB: base.rss / MiB,
      rssPeakMiB: Math.max(0, peaks.rssPeak - base.rss) / MiB,
      rssPeakByProcessMiB: growthByKind(base.rssByKind, peaks.rssPeakByKind),
      heapBaseMiB: base.heap / MiB,
      heapPeakMiB: Math.max(0, peaks.heapPeak - base.heap) / MiB,
      longTasks: outcome.longTasks,
      chromiumCpuSeconds,
      chromiumCpuByThread,
      serverCpuSeconds: wire.cpuSeconds,
      harnessCpuSeconds,
      serverRssBaseMiB: serverRssBase / MiB,
      serverRssPeakMiB: serverRssPeak / MiB,
      foreignCpuSeconds: Math.max(
        0,
        machineCpuSeconds - chromiumCpuSeconds - wire.cpuSeconds - harnessCpuSeconds,
      ),
      startedQuiet: quiet,
      firstSendMs: outcome.firstSendAt === null ? null : outcome.firstSendAt - outcome.pickedAt,
      requests: wire.records.length,
      wireBytes: wire.records.reduce((sum, r) => sum + r.bytes, 0),
      ...(profile ? { profile } : {}),
    }
  } finally {
    await page.close()
  }
}
