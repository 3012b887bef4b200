/**
 * The issue's targets, checked against what was measured. The benchmark reports them; it
 * does not fail on them (only on bytes that arrived wrong).
 */
import { DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY } from '../src/core/options.ts'
import { formatSize } from './args.ts'
import { PARTWISE_ID, PEERS_BEST, RAW_IDS, RAW_XHR_ID, RAW_XHR_SLICE_ID } from './clients.ts'
import type { RendersResult } from './renders.ts'
import type { ResumeRecord } from './resume.ts'
import type { Spread, SummaryRow } from './summary.ts'

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
  // The targets are set at 1 GiB; a run without it is judged at its largest size, and says so.
  const sizes = rows.map((r) => r.size)
  const size = sizes.includes(GiB) ? GiB : Math.max(...sizes)
  const at = size === GiB ? 'at 1 GiB' : `at ${formatSize(size)} (the targets are set at 1 GiB)`
  const mine = row(rows, size, PARTWISE_ID)
  const perRound = (s: Spread | null | undefined): string =>
    s ? `median ${s.median.toFixed(2)}× (rounds ${s.min.toFixed(2)}–${s.max.toFixed(2)})` : ''
  const best = mine?.bestRawRatio
  const raws = RAW_IDS.map((id) => row(rows, size, id))
    .map((r) => (r?.mbps ? `${r.client} ${r.mbps.median.toFixed(0)}` : ''))
    .filter(Boolean)
    .join(', ')
  checks.push(
    check(
      `throughput ${at} ≥ 0.95× the best single raw PUT of each round`,
      best ? best.median >= 0.95 : null,
      best
        ? `${perRound(best)}; MB/s medians: partwise ${mine?.mbps?.median.toFixed(0)}, ${raws}`
        : 'not measured',
    ),
  )
  const peer = mine?.peerRatio
  checks.push(
    check(
      `throughput ${at} ≥ 1.4× the fastest peer of each round`,
      peer ? peer.median >= 1.4 : null,
      peer
        ? `${perRound(peer)}; peers' MB/s medians: ${PEERS_BEST.map((p) => `${p.id} ${row(rows, size, p.id)?.mbps?.median.toFixed(0) ?? '—'}`).join(', ')}`
        : 'run the peers too',
    ),
  )
  const cpu = mine?.cpuRatio
  const rawCpu = row(rows, size, RAW_XHR_ID)?.cpuPerGiB
  const sliceCpu = row(rows, size, RAW_XHR_SLICE_ID)
  checks.push(
    check(
      `partwise Chromium CPU per GiB ${at} ≤ 1.10× the raw XHR PUT's of each round`,
      cpu ? cpu.median <= 1.1 : null,
      cpu
        ? `${perRound(cpu)}; CPU-s per GiB medians: partwise ${mine?.cpuPerGiB?.median.toFixed(2)}, raw XHR ${rawCpu?.median.toFixed(2)}` +
            (sliceCpu?.cpuPerGiB
              ? `, raw XHR of file.slice() ${sliceCpu.cpuPerGiB.median.toFixed(2)} (${perRound(sliceCpu.cpuRatio)} the raw XHR's)`
              : '')
        : 'not measured',
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
