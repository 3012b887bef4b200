/**
 * The results as a console table, `bench/results/latest.json` (everything, every run) and
 * `bench/results/latest.md` (the table the README shows, with the machine).
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { formatSize } from './args.ts'
import type { Machine } from './machine.ts'
import type { RendersResult } from './renders.ts'
import type { ResumeRecord } from './resume.ts'
import type { RunRecord } from './run-one.ts'
import type { Spread, SummaryRow } from './summary.ts'
import type { TargetCheck } from './targets.ts'

export interface BenchReport {
  machine: Machine
  /** What the servers under test are and where they keep the bytes, in a sentence. */
  servers: string
  args: Record<string, unknown>
  /** How much else the machine did while the benchmark ran. */
  load: { before: number[]; after: number[] }
  labels: Record<string, string>
  summary: SummaryRow[]
  resume: ResumeRecord[]
  renders: RendersResult
  targets: TargetCheck[]
  runs: RunRecord[]
}

const fmt = (s: Spread | null, digits = 0): string =>
  s === null
    ? '—'
    : s.min === s.max
      ? s.median.toFixed(digits)
      : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`

const HEAD = [
  'client',
  'MB/s median (min–max)',
  '× ceiling',
  '× best raw PUT',
  'pick → 1st request / 1st byte ms',
  'RSS Δ MiB (Playwright)',
  'RSS Δ MiB (plain CDP)',
  'JS heap Δ MiB',
  'long tasks n / ms',
  'Chromium CPU-s/GiB (× raw XHR)',
  'server CPU-s/GiB',
  'server RSS MiB (peak)',
  'others’ CPU (cores)',
]

function cells(row: SummaryRow, plain: SummaryRow | undefined, label: string): string[] {
  const failed = row.failures > 0 ? ` ⚠ ${row.failures}/${row.runs} failed` : ''
  const heap = plain?.heapPeakMiB ?? row.heapPeakMiB
  return [
    label + failed,
    fmt(row.mbps),
    fmt(row.ratio, 2),
    fmt(row.bestRawRatio, 2),
    `${row.firstSendMs?.median.toFixed(1) ?? '—'} / ${fmt(row.firstByteMs, 1)}`,
    fmt(row.rssPeakMiB),
    fmt(plain?.rssPeakMiB ?? null),
    fmt(heap, 1),
    `${fmt(row.longTaskCount)} / ${fmt(row.longTaskMs)}`,
    `${fmt(row.cpuPerGiB, 2)}${row.cpuRatio ? ` (${fmt(row.cpuRatio, 2)})` : ''}`,
    row.serverCpuSeconds ? (row.serverCpuSeconds.median / (row.size / 2 ** 30)).toFixed(2) : '—',
    fmt(row.serverRssPeakMiB),
    fmt(row.foreignCores, 2) + (row.startedBusy > 0 ? ` (${row.startedBusy} started busy)` : ''),
  ]
}

/** One table per size: the Playwright rounds, with the plain-CDP pass's memory beside them. */
function tables(report: BenchReport): Array<{ size: number; rows: string[][] }> {
  const sizes = [...new Set(report.summary.map((r) => r.size))]
  return sizes.map((size) => ({
    size,
    rows: report.summary
      .filter((r) => r.size === size && r.driver === 'playwright')
      .map((r) => {
        const plain = report.summary.find(
          (p) => p.size === size && p.client === r.client && p.driver === 'plain-cdp',
        )
        return cells(r, plain, report.labels[r.client] ?? r.client)
      }),
  }))
}

/**
 * Where Chromium's CPU went, per size: CPU-s per GiB (medians over rounds) by process kind and
 * thread name, for the threads that took the most in any row.
 */
function threadTables(
  report: BenchReport,
): Array<{ size: number; head: string[]; rows: string[][] }> {
  const sizes = [...new Set(report.summary.map((r) => r.size))]
  return sizes.map((size) => {
    const rows = report.summary.filter((r) => r.size === size && r.driver === 'playwright')
    const top = new Set(rows.flatMap((r) => Object.keys(r.cpuPerGiBByThread).slice(0, 5)))
    const keys = [...top]
    const head = ['client', ...keys, 'other threads']
    return {
      size,
      head,
      rows: rows.map((r) => {
        const all = Object.entries(r.cpuPerGiBByThread)
        const other = all.filter(([k]) => !top.has(k)).reduce((sum, [, v]) => sum + v, 0)
        return [
          report.labels[r.client] ?? r.client,
          ...keys.map((k) => (r.cpuPerGiBByThread[k] ?? 0).toFixed(2)),
          other.toFixed(2),
        ]
      }),
    }
  })
}

function markdownTable(rows: string[][], head = HEAD): string {
  const line = (c: string[]) => `| ${c.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

function consoleTable(rows: string[][], head = HEAD): string {
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n')
}

function resumeLines(resume: readonly ResumeRecord[]): string[] {
  const MiB = 2 ** 20
  return resume.map(
    (r) =>
      `- ${formatSize(r.size)}: reload at ${(r.receivedBeforeReload / MiB).toFixed(0)} MiB received, ` +
      `${r.acknowledgedBeforeReload} parts acknowledged (${r.partsInRecord} in the page's record); ` +
      `${(r.extraBytes / MiB).toFixed(1)} MiB received beyond the file, ` +
      `${(r.resentAcknowledgedBytes / MiB).toFixed(1)} MiB of it for acknowledged parts ` +
      `(parts in flight: ${(r.partsInFlightBytes / MiB).toFixed(0)} MiB)` +
      (r.ok && r.verified ? '' : ` — FAILED: ${r.error ?? 'bytes differ'}`),
  )
}

export function printReport(report: BenchReport): void {
  for (const { size, rows } of tables(report)) {
    console.log(`\n${formatSize(size)}\n${consoleTable(rows)}`)
  }
  for (const { size, head, rows } of threadTables(report)) {
    console.log(
      `\nChromium CPU-s per GiB by process/thread, ${formatSize(size)}\n${consoleTable(rows, head)}`,
    )
  }
  console.log('\nReload in the middle of an upload:')
  for (const line of resumeLines(report.resume)) console.log(line)
  console.log(
    `\nReact renders: ${report.renders.rendersPerSecond?.toFixed(1) ?? report.renders.note}`,
  )
  console.log('\nTargets:')
  for (const t of report.targets) console.log(`- [${t.status}] ${t.target}: ${t.measured}`)
}

function markdown(report: BenchReport): string {
  const m = report.machine
  return [
    '# partwise benchmark',
    '',
    `Measured ${m.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.kernel}; ` +
      `Chromium ${m.chromium} headless (Playwright ${m.playwright}), Node ${m.node}. ` +
      `Load average before / after: ${report.load.before.map((l) => l.toFixed(2)).join(' ')} / ` +
      `${report.load.after.map((l) => l.toFixed(2)).join(' ')}.`,
    '',
    report.servers,
    '',
    'A disk file picked into an `<input type="file">`, uploaded over loopback; every upload is ' +
      'sha256-checked on the server. MB/s is 10^6 bytes a second from the pick to the end; ' +
      '× ceiling is against the raw PUT of the same round; RSS and heap are peaks above the ' +
      "baseline taken before the pick; server RSS is the largest server process's resident " +
      'memory at its peak during the upload (absolute); "plain CDP" is a separate pass without DevTools ' +
      'network tracking; "others’ CPU" is what processes outside the benchmark took during ' +
      'the runs (each run first waits for a quiet machine): the noise in the figures.',
    '',
    ...tables(report).flatMap(({ size, rows }) => [
      `## ${formatSize(size)}`,
      '',
      markdownTable(rows),
      '',
    ]),
    ...threadTables(report).flatMap(({ size, head, rows }) => [
      `## Chromium CPU-s per GiB by process/thread, ${formatSize(size)}`,
      '',
      'Medians over rounds, from /proc/<pid>/task/<tid>/stat (user + system) of every Chromium ' +
        'thread alive at the end of the run; the threads that took the most in any row.',
      '',
      markdownTable(rows, head),
      '',
    ]),
    '## Reload in the middle of an upload',
    '',
    ...resumeLines(report.resume),
    '',
    '## React',
    '',
    report.renders.rendersPerSecond === null
      ? `- ${report.renders.note}`
      : `- ${report.renders.rendersPerSecond.toFixed(1)} renders a second (${report.renders.note})`,
    '',
    '## Targets',
    '',
    ...report.targets.map((t) => `- **${t.status}** — ${t.target}: ${t.measured}`),
    '',
  ].join('\n')
}

/** Writes bench/results/<out>.json and .md; returns their path without the extension. */
export async function writeReport(report: BenchReport, out: string): Promise<string> {
  const dir = fileURLToPath(new URL('./results/', import.meta.url))
  await mkdir(dir, { recursive: true })
  await writeFile(`${dir}${out}.json`, `${JSON.stringify(report, null, 2)}\n`)
  await writeFile(`${dir}${out}.md`, markdown(report))
  return `${dir}${out}`
}
