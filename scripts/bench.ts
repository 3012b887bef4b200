/**
 * `npm run bench`: partwise against the ceiling (one raw PUT) and its peers, in headless
 * Chromium, over loopback, with a disk file picked into a real `<input type="file">`.
 *
 *   npm run bench                          64 MiB, 3 interleaved rounds
 *   npm run bench -- --sizes 64m,1g,4g     more sizes (files are generated once, cached)
 *   npm run bench -- --rounds 5 --only partwise,tus --peer-sweep --memory-rounds 0 --no-resume
 *   npm run bench -- --experiments --only … --out experiments   (bench/results/experiments.*)
 *   npm run bench -- --store s3 --sizes 256m,1g            S3 (Swift): partwise beside one PutObject
 *   npm run bench -- --store s3 --nodes 2 --sizes 1g       two nodes behind nginx, beside one node
 *
 * Prints a table, writes bench/results/latest.{json,md} (or --out's name). Exits non-zero
 * when any upload left other bytes on the server than the file's, or when the ceiling or
 * partwise failed; the targets are reported, never enforced.
 */
import { loadavg } from 'node:os'
import { formatSize, parseArgs } from '../bench/args.ts'
import {
  CEILING_ID,
  clientMatrix,
  describe,
  PARTWISE_16M_ID,
  PARTWISE_ID,
  PARTWISE_NODES_ID,
  RAW_IDS,
  roundOrder,
  s3Matrix,
} from '../bench/clients.ts'
import { ClusterHost } from '../bench/cluster-host.ts'
import { launchPlainCdp } from '../bench/drivers/plain-cdp.ts'
import { launchPlaywright } from '../bench/drivers/playwright.ts'
import type { BenchBrowser } from '../bench/drivers/types.ts'
import { type BenchFile, benchFile } from '../bench/files.ts'
import { type BenchHost, ServerHost } from '../bench/host-client.ts'
import { describeMachine } from '../bench/machine.ts'
import { servePage } from '../bench/page-server.ts'
import { measureRenders, type RendersResult } from '../bench/renders.ts'
import { printReport, writeReport } from '../bench/report.ts'
import { type ResumeRecord, runResume } from '../bench/resume.ts'
import { type RunRecord, runOne } from '../bench/run-one.ts'
import { type BenchS3, startBenchS3, swiftVersion } from '../bench/s3.ts'
import { checkS3Targets } from '../bench/s3-targets.ts'
import { summarize } from '../bench/summary.ts'
import { checkTargets } from '../bench/targets.ts'
import type { ClientSpec } from '../bench/types.ts'

const args = parseArgs(process.argv.slice(2))
const RESUME_MIN_SIZE = 256 * 2 ** 20
const loadBefore = loadavg()
// On S3 the question is the store's (#14, #15): partwise at its defaults beside both single
// raw PUTs (fetch, through Chromium's blob system as every part goes; XHR of the File, sent by
// its path), with 16 MiB × 4 (the defaults before the store named its preferred part size),
// and through nginx beside one node; other rows only when asked for with --only.
const only =
  args.only.length > 0 || args.store === 'disk'
    ? args.only
    : [PARTWISE_ID, PARTWISE_16M_ID, PARTWISE_NODES_ID]
const always = RAW_IDS
const clients = (
  args.store === 's3'
    ? s3Matrix(args.nodes, args.experiments)
    : clientMatrix(args.peerSweep, args.experiments)
).filter((c) => only.length === 0 || always.includes(c.id) || only.includes(c.id))
// Every row's label; the rows of the store that runs win where ids meet.
const everyRow =
  args.store === 's3'
    ? [...clientMatrix(true, true), ...s3Matrix(2, true)]
    : [...s3Matrix(2, true), ...clientMatrix(true, true)]
const labels = Object.fromEntries(everyRow.map((c) => [c.id, describe(c, args.store)]))
if (args.store === 's3' && args.nodes > 1) {
  labels[PARTWISE_ID] = `${labels[PARTWISE_ID]}, one node directly`
}

function logRun(run: RunRecord, client: ClientSpec): void {
  const where = `[${formatSize(run.size)} ${run.driver} r${run.round}]`
  const result = run.ok
    ? `${run.mbps.toFixed(0)} MB/s, first byte ${run.firstByteMs?.toFixed(1) ?? '—'} ms, ` +
      `RSS +${run.rssPeakMiB.toFixed(0)} MiB, heap +${run.heapPeakMiB.toFixed(1)} MiB, ` +
      `Chromium ${(run.chromiumCpuSeconds / (run.size / 2 ** 30)).toFixed(2)} CPU-s/GiB, ` +
      `${run.requests} requests` +
      (run.verified ? ', sha256 ok' : ', BYTES DIFFER')
    : `FAILED: ${run.error}`
  console.log(`${where} ${describe(client, args.store)}: ${result}`)
  if (run.profile) {
    const { totalMs, idleMs, top } = run.profile
    console.log(
      `  renderer main thread: ${(totalMs - idleMs).toFixed(0)} of ${totalMs.toFixed(0)} ms busy`,
    )
    for (const { fn, selfMs } of top.slice(0, 8)) console.log(`    ${selfMs.toFixed(1)} ms ${fn}`)
  }
}

/** Rounds of every client in turn (A B C A B C …), after one untimed warm-up upload. */
async function rounds(
  browser: BenchBrowser,
  setup: Omit<Parameters<typeof runOne>[0], 'browser' | 'file'>,
  file: BenchFile,
  count: number,
): Promise<RunRecord[]> {
  const runs: RunRecord[] = []
  const context = { ...setup, browser, file }
  // Warms the page cache for the file, the servers' JIT and Chromium's network service.
  await runOne(context, { id: CEILING_ID, kind: 'ceiling' }, 0)
  for (let round = 1; round <= count; round++) {
    for (const client of roundOrder(clients, round)) {
      const run = await runOne(context, client, round)
      logRun(run, client)
      runs.push(run)
    }
  }
  return runs
}

let s3: BenchS3 | null = null
let host: BenchHost
if (args.store === 's3') {
  s3 = await startBenchS3()
  const store = s3
  host = await (args.nodes > 1
    ? ClusterHost.start(store)
    : ServerHost.start({ ...store.env, PARTWISE_BENCH_STORAGE: store.location })
  ).catch(async (error: unknown) => {
    await store.stop()
    throw error
  })
} else host = await ServerHost.start()
const page = await servePage()
const playwright = await launchPlaywright()
const runs: RunRecord[] = []
const resume: ResumeRecord[] = []
let renders: RendersResult = { rendersPerSecond: null, note: 'not measured', bytesDiffer: false }
try {
  const files: BenchFile[] = []
  for (const size of args.sizes) files.push(await benchFile(size))
  const setup = { host, pageUrl: page.url, quietWaitMs: args.quietWaitMs, profile: args.profile }
  for (const file of files) runs.push(...(await rounds(playwright, setup, file, args.rounds)))
  if (args.memoryRounds > 0) {
    // Memory again, without DevTools' network tracking (which Playwright always enables).
    const plain = await launchPlainCdp()
    try {
      for (const file of files) runs.push(...(await rounds(plain, setup, file, args.memoryRounds)))
    } finally {
      await plain.close()
    }
  }
  if (args.resume) {
    // On loopback a reload takes longer than the second half of a small file: below
    // RESUME_MIN_SIZE the upload would be over before the old page went away.
    const large = files.filter((f) => f.size >= RESUME_MIN_SIZE)
    const resumeFiles = large.length > 0 ? large : [await benchFile(RESUME_MIN_SIZE)]
    for (const file of resumeFiles) {
      const record = await runResume({ ...setup, browser: playwright, file })
      console.log(`[${formatSize(file.size)}] reload mid-upload: ${record.extraBytes} extra bytes`)
      resume.push(record)
    }
  }
  const largest = files.filter((f) => f.size <= 2 ** 30).at(-1) ?? files[0]
  // React's renders are the client's: the disk runs measure them.
  if (largest && args.store === 'disk') {
    renders = await measureRenders({ ...setup, browser: playwright, file: largest })
  }
} finally {
  await playwright.close()
  await page.close()
  await host.stop()
  await s3?.stop()
}

const summary = summarize(runs)
const report = {
  machine: describeMachine(playwright.version),
  servers: describeServers(),
  args: { ...args },
  load: { before: loadBefore, after: loadavg() },
  labels,
  summary,
  resume,
  renders,
  targets:
    args.store === 's3' ? checkS3Targets(summary, runs) : checkTargets(summary, resume, renders),
  runs,
}
function describeServers(): string {
  if (args.store === 'disk') return 'The reference server keeps the bytes on its disk.'
  const swift = `OpenStack Swift ${swiftVersion()} with s3api on loopback (one proxy, one object server)`
  return args.nodes > 1
    ? `Two partwise-server nodes on one PostgreSQL catalog behind nginx (round robin), and node a reached directly; the bytes in one bucket of ${swift}.`
    : `The reference server keeps the bytes in S3: ${swift}. The ceiling's PUT goes through the server into one streamed PutObject.`
}

printReport(report)
const written = await writeReport(report, args.out)
console.log(`\nWritten: ${written}.json, ${written}.md`)

const mismatched = runs.filter((r) => r.ok && !r.verified).length
const mustWork = runs.filter(
  (r) => !r.ok && (RAW_IDS.includes(r.client) || r.client.startsWith('partwise')),
)
const resumeBroken =
  resume.filter((r) => !r.ok || !r.verified).length + (renders.bytesDiffer ? 1 : 0)
if (mismatched + mustWork.length + resumeBroken > 0) {
  console.error(
    `\nFAILED: ${mismatched} upload(s) stored other bytes than the file's, ` +
      `${mustWork.length} ceiling/partwise upload(s) failed, ${resumeBroken} resumed or <Upload /> upload(s) broke.`,
  )
  process.exit(1)
}
