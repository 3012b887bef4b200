/**
 * From runs to rows: per size, client and driver, the median with min–max over rounds. Each
 * run's ratios are taken against runs of the same round, and the verdicts use the median of
 * those per-round ratios, never the ratio of two medians: on a shared machine a round's
 * neighbours are its fair baseline, and a slow moment slows both sides of its ratio.
 */
import { CEILING_ID, PEERS_BEST, RAW_IDS, RAW_XHR_ID } from './clients.ts'
import type { RunRecord } from './run-one.ts'

export interface Spread {
  median: number
  min: number
  max: number
}

export interface SummaryRow {
  size: number
  client: string
  driver: RunRecord['driver']
  runs: number
  failures: number
  /** Runs whose stored bytes differed from the file: any one fails the benchmark. */
  mismatches: number
  mbps: Spread | null
  /** Per round: MB/s against the ceiling (the fetch PUT). */
  ratio: Spread | null
  /** Per round: MB/s against the faster of the single raw PUTs (fetch, XHR). */
  bestRawRatio: Spread | null
  /** Per round: MB/s against the fastest peer at its best settings. */
  peerRatio: Spread | null
  /** Chromium CPU seconds per GiB uploaded. */
  cpuPerGiB: Spread | null
  /** Per round: Chromium CPU per GiB against the raw XHR PUT's. */
  cpuRatio: Spread | null
  /** Median Chromium CPU seconds per GiB by `process kind/thread name`, the largest first. */
  cpuPerGiBByThread: Record<string, number>
  firstByteMs: Spread | null
  firstSendMs: Spread | null
  rssPeakMiB: Spread | null
  heapPeakMiB: Spread | null
  longTaskCount: Spread | null
  longTaskMs: Spread | null
  chromiumCpuSeconds: Spread | null
  serverCpuSeconds: Spread | null
  harnessCpuSeconds: Spread | null
  /** The largest server process's RSS at its peak during the upload (absolute). */
  serverRssPeakMiB: Spread | null
  /** Cores' worth of CPU other processes used during the runs: the noise. */
  foreignCores: Spread | null
  /** Runs that started on a machine that never went quiet. */
  startedBusy: number
  requests: Spread | null
}

export function spread(values: readonly number[]): Spread | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return null
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number }
}

const key = (r: RunRecord): string => `${r.size}|${r.driver}|${r.client}`
const roundKey = (r: RunRecord): string => `${r.size}|${r.driver}|${r.round}`
const GiB = 2 ** 30
const perGiB = (r: RunRecord, seconds: number): number => seconds / (r.size / GiB)

/** Per round, the best (highest) value `pick` gives among the good runs of `ids`. */
function bestPerRound(
  runs: readonly RunRecord[],
  ids: readonly string[],
  pick: (r: RunRecord) => number,
): Map<string, number> {
  const best = new Map<string, number>()
  for (const r of runs) {
    if (!ids.includes(r.client) || !r.ok || !r.verified) continue
    best.set(roundKey(r), Math.max(best.get(roundKey(r)) ?? Number.NEGATIVE_INFINITY, pick(r)))
  }
  return best
}

/** Medians per key over runs, largest first. */
function medianByKey(records: readonly Record<string, number>[]): Record<string, number> {
  const keys = new Set(records.flatMap((r) => Object.keys(r)))
  const medians = [...keys].map((k) => [k, spread(records.map((r) => r[k] ?? 0))?.median ?? 0])
  return Object.fromEntries((medians as Array<[string, number]>).sort((a, b) => b[1] - a[1]))
}

/** `value / base`, or null without a base from the same round. */
const against = (value: number, base: number | undefined): number | null =>
  base === undefined || !(base > 0) ? null : value / base

export function summarize(runs: readonly RunRecord[]): SummaryRow[] {
  const ceilings = bestPerRound(runs, [CEILING_ID], (r) => r.mbps)
  const bestRaw = bestPerRound(runs, RAW_IDS, (r) => r.mbps)
  const bestPeer = bestPerRound(
    runs,
    PEERS_BEST.map((p) => p.id),
    (r) => r.mbps,
  )
  // One raw XHR run per round: its CPU (negated so "best" is the only one).
  const rawXhrCpu = bestPerRound(runs, [RAW_XHR_ID], (r) => -perGiB(r, r.chromiumCpuSeconds))
  const groups = new Map<string, RunRecord[]>()
  for (const r of runs) groups.set(key(r), [...(groups.get(key(r)) ?? []), r])

  return [...groups.values()].map((group) => {
    const first = group[0] as RunRecord
    const good = group.filter((r) => r.ok && r.verified)
    const of = (pick: (r: RunRecord) => number | null): Spread | null =>
      spread(good.map(pick).filter((v): v is number => v !== null))
    return {
      size: first.size,
      client: first.client,
      driver: first.driver,
      runs: group.length,
      failures: group.length - good.length,
      mismatches: group.filter((r) => r.ok && !r.verified).length,
      mbps: of((r) => r.mbps),
      ratio: of((r) => against(r.mbps, ceilings.get(roundKey(r)))),
      bestRawRatio: of((r) => against(r.mbps, bestRaw.get(roundKey(r)))),
      peerRatio: of((r) => against(r.mbps, bestPeer.get(roundKey(r)))),
      cpuPerGiB: of((r) => perGiB(r, r.chromiumCpuSeconds)),
      cpuRatio: of((r) => {
        const raw = rawXhrCpu.get(roundKey(r))
        return against(perGiB(r, r.chromiumCpuSeconds), raw === undefined ? raw : -raw)
      }),
      cpuPerGiBByThread: medianByKey(
        good.map((r) =>
          Object.fromEntries(
            Object.entries(r.chromiumCpuByThread ?? {}).map(([k, v]) => [k, perGiB(r, v)]),
          ),
        ),
      ),
      firstByteMs: of((r) => r.firstByteMs),
      firstSendMs: of((r) => r.firstSendMs),
      rssPeakMiB: of((r) => r.rssPeakMiB),
      heapPeakMiB: of((r) => r.heapPeakMiB),
      longTaskCount: of((r) => r.longTasks.count),
      longTaskMs: of((r) => r.longTasks.totalMs),
      chromiumCpuSeconds: of((r) => r.chromiumCpuSeconds),
      serverCpuSeconds: of((r) => r.serverCpuSeconds),
      harnessCpuSeconds: of((r) => r.harnessCpuSeconds),
      serverRssPeakMiB: of((r) => r.serverRssPeakMiB),
      foreignCores: of((r) => r.foreignCpuSeconds / r.seconds),
      startedBusy: group.filter((r) => !r.startedQuiet).length,
      requests: of((r) => r.requests),
    }
  })
}
