/**
 * From runs to rows: per size, client and driver, the median with min–max over rounds. Each
 * run's ratio is taken against the ceiling of the same round, so a slow moment of the machine
 * slows both sides of the ratio.
 */
import { CEILING_ID } from './clients.ts'
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
  ratio: Spread | null
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

export function summarize(runs: readonly RunRecord[]): SummaryRow[] {
  const ceilings = new Map<string, number>()
  for (const r of runs) {
    if (r.client === CEILING_ID && r.ok && r.verified) {
      ceilings.set(`${r.size}|${r.driver}|${r.round}`, r.mbps)
    }
  }
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
      ratio: of((r) => {
        const ceiling = ceilings.get(`${r.size}|${r.driver}|${r.round}`)
        return ceiling ? r.mbps / ceiling : null
      }),
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
