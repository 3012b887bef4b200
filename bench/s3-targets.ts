/**
 * The targets of `--store s3` (#14) and `--nodes 2` (#15), checked against what was measured;
 * reported, never enforced (the bench fails only on bytes that arrived wrong).
 */
import { formatSize } from './args.ts'
import { CEILING_ID, PARTWISE_ID, PARTWISE_NODES_ID, RAW_XHR_ID } from './clients.ts'
import type { RunRecord } from './run-one.ts'
import { type SummaryRow, spread } from './summary.ts'
import type { TargetCheck } from './targets.ts'

const GiB = 2 ** 30
/** RSS a server may gain from the smallest file to the largest and still count as flat. */
const FLAT_SLACK_MIB = 32

const check = (target: string, holds: boolean | null, measured: string): TargetCheck => ({
  target,
  status: holds === null ? 'not measured' : holds ? 'holds' : 'misses',
  measured,
})

/** 1 GiB when it was measured, else the largest size (the verdict names it). */
function sizeOfRecord(rows: readonly SummaryRow[]): number | null {
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b)
  return sizes.includes(GiB) ? GiB : (sizes.at(-1) ?? null)
}

/** The median over rounds of `client`'s MB/s over `base`'s in the same round, at `size`. */
function roundRatio(runs: readonly RunRecord[], size: number, client: string, base: string) {
  const good = runs.filter(
    (r) => r.size === size && r.ok && r.verified && r.driver === 'playwright',
  )
  const ratios = good
    .filter((r) => r.client === client)
    .map((r) => {
      const other = good.find((o) => o.client === base && o.round === r.round)
      return other ? r.mbps / other.mbps : Number.NaN
    })
  return spread(ratios)
}

const row = (rows: readonly SummaryRow[], size: number, client: string) =>
  rows.find((r) => r.size === size && r.client === client && r.driver === 'playwright')

function ratioCheck(
  rows: readonly SummaryRow[],
  runs: readonly RunRecord[],
  target: string,
  client: string,
  base: string,
): TargetCheck {
  const size = sizeOfRecord(rows.filter((r) => r.client === client))
  const ratio = size === null ? null : roundRatio(runs, size, client, base)
  if (size === null || ratio === null) return check(target, null, 'not run')
  const mbps = (id: string) => row(rows, size, id)?.mbps?.median.toFixed(0) ?? '—'
  return check(
    target,
    size === GiB ? ratio.median >= 1 : null,
    `${ratio.median.toFixed(2)}× at ${formatSize(size)} (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)} over rounds; ${mbps(client)} MB/s vs ${mbps(base)} MB/s)` +
      (size === GiB ? '' : '; run with --sizes 1g for the verdict'),
  )
}

function flatRss(rows: readonly SummaryRow[]): TargetCheck {
  const target = `server RSS flat in the file size (peak at the largest file ≤ at the smallest + ${FLAT_SLACK_MIB} MiB)`
  const mine = rows
    .filter((r) => r.client === PARTWISE_ID && r.driver === 'playwright' && r.serverRssPeakMiB)
    .sort((a, b) => a.size - b.size)
  const [small, large] = [mine[0], mine.at(-1)]
  if (!small?.serverRssPeakMiB || !large?.serverRssPeakMiB || small === large) {
    return check(target, null, 'run with two sizes, e.g. --sizes 256m,1g')
  }
  const [low, high] = [small.serverRssPeakMiB.max, large.serverRssPeakMiB.max]
  return check(
    target,
    high <= low + FLAT_SLACK_MIB,
    `${low.toFixed(0)} MiB at ${formatSize(small.size)}, ${high.toFixed(0)} MiB at ${formatSize(large.size)} (highest over rounds)`,
  )
}

export function checkS3Targets(
  rows: readonly SummaryRow[],
  runs: readonly RunRecord[],
): TargetCheck[] {
  const checks = [
    ratioCheck(
      rows,
      runs,
      'S3: partwise through the server ≥ 1.0× one raw fetch PUT streamed into one PutObject, at 1 GiB',
      PARTWISE_ID,
      CEILING_ID,
    ),
    // The other single raw PUT: Chromium sends a picked File by its path and any Blob (every
    // part) through its blob system, so this one starts with less CPU spent (see Performance).
    ratioCheck(
      rows,
      runs,
      'S3: partwise through the server ≥ 1.0× one raw XHR PUT of the File streamed into one PutObject, at 1 GiB',
      PARTWISE_ID,
      RAW_XHR_ID,
    ),
    flatRss(rows),
  ]
  if (rows.some((r) => r.client === PARTWISE_NODES_ID)) {
    checks.push(
      ratioCheck(
        rows,
        runs,
        'two nodes through nginx ≥ 1.0× one node reached directly (no loss), at 1 GiB',
        PARTWISE_NODES_ID,
        PARTWISE_ID,
      ),
    )
  }
  return checks
}
