/**
 * The targets, checked against what was measured. The benchmark reports them; it
 * does not fail on them (only on bytes that arrived wrong).
 */
import { DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY } from '../src/core/options.ts'
import { CEILING_ID, PARTWISE_ID, PEERS_BEST } from './clients.ts'
import type { RendersResult } from './renders.ts'
import type { ResumeRecord } from './resume.ts'
import type { SummaryRow } from './summary.ts'

const MiB = 2 ** 20
const GiB = 2 ** 30

export interface TargetCheck {
  target: string
  status: 'holds' | 'misses' | 'not measured'
  measured: string
}

const check = (target: string, holds: boolean | null, measured: string): TargetCheck => ({
  target,
  status: holds === null ? 'not measured' : holds ? 'holds' : 'misses',
  measured,
})

function row(rows: readonly SummaryRow[], size: number, client: string, driver = 'playwright') {
  return rows.find((r) => r.size === size && r.client === client && r.driver === driver)
}

export function checkTargets(
  rows: readonly SummaryRow[],
  resume: readonly ResumeRecord[],
  renders: RendersResult,
): TargetCheck[] {
  const checks: TargetCheck[] = []
  const at1g = row(rows, GiB, PARTWISE_ID)
  const ratio = at1g?.ratio?.median
  checks.push(
    check(
      'throughput at 1 GiB ≥ 0.95× the ceiling',
      ratio === undefined ? null : ratio >= 0.95,
      ratio === undefined
        ? 'run with --sizes 1g'
        : `${ratio.toFixed(2)}× (${at1g?.mbps?.median.toFixed(0)} MB/s vs ceiling ${row(rows, GiB, CEILING_ID)?.mbps?.median.toFixed(0)} MB/s)`,
    ),
  )
  const peers = PEERS_BEST.map((p) => row(rows, GiB, p.id)?.mbps?.median ?? 0)
  const fasterPeer = Math.max(...peers)
  const mine = at1g?.mbps?.median
  checks.push(
    check(
      'throughput at 1 GiB ≥ 1.3× the faster peer',
      mine === undefined || fasterPeer === 0 ? null : mine >= 1.3 * fasterPeer,
      mine === undefined || fasterPeer === 0
        ? 'run with --sizes 1g'
        : `${(mine / fasterPeer).toFixed(2)}× (faster peer ${fasterPeer.toFixed(0)} MB/s)`,
    ),
  )
  // Memory without DevTools network tracking when that pass ran, else Playwright's (an upper bound).
  const at4g = row(rows, 4 * GiB, PARTWISE_ID, 'plain-cdp') ?? row(rows, 4 * GiB, PARTWISE_ID)
  const rssLimit = (DEFAULT_CONCURRENCY * DEFAULT_CHUNK_SIZE) / MiB + 32
  checks.push(
    check(
      `peak Chromium RSS growth during a 4 GiB upload ≤ concurrency × part size + 32 MiB (${rssLimit} MiB)`,
      at4g?.rssPeakMiB ? at4g.rssPeakMiB.max <= rssLimit : null,
      at4g?.rssPeakMiB
        ? `${at4g.rssPeakMiB.max.toFixed(0)} MiB at most (${at4g.driver})`
        : 'run with --sizes 4g',
    ),
  )
  const firstBytes = rows.filter((r) => r.client === PARTWISE_ID && r.driver === 'playwright')
  const slowest = Math.max(...firstBytes.map((r) => r.firstByteMs?.median ?? Number.NaN))
  checks.push(
    check(
      '≤ 20 ms from pick to first byte',
      Number.isFinite(slowest) ? slowest <= 20 : null,
      Number.isFinite(slowest) ? `median ${slowest.toFixed(1)} ms (slowest size)` : '—',
    ),
  )
  checks.push(
    check(
      '≤ 60 React renders a second',
      renders.rendersPerSecond === null ? null : renders.rendersPerSecond <= 60,
      renders.rendersPerSecond === null
        ? renders.note
        : `${renders.rendersPerSecond.toFixed(1)} /s`,
    ),
  )
  const worst = resume
    .filter((r) => r.ok && r.verified)
    .reduce<ResumeRecord | null>(
      (w, r) => (w === null || r.extraBytes > w.extraBytes ? r : w),
      null,
    )
  checks.push(
    check(
      're-sent bytes after a reload ≤ the parts in flight',
      worst === null ? null : worst.extraBytes <= worst.partsInFlightBytes,
      worst === null
        ? 'not run'
        : `${(worst.extraBytes / MiB).toFixed(1)} MiB extra, ${(worst.resentAcknowledgedBytes / MiB).toFixed(1)} MiB of acknowledged parts (limit ${(worst.partsInFlightBytes / MiB).toFixed(0)} MiB)`,
    ),
  )
  return checks
}
