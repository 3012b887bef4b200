/**
 * Bytes sent twice after a reload: partwise (defaults, resume on) uploads, the page reloads
 * once the server has about half the file, the same file is picked again, and the upload goes
 * on from its localStorage record. What the server received beyond the file's size is waste.
 */
import { PARTWISE_ID, partwiseShape } from './clients.ts'
import type { BenchPage } from './drivers/types.ts'
import type { WireRecord } from './host/wire-tap.ts'
import { armAndPick, outcomeOf, type RunSetup, sleep } from './run-one.ts'
import type { ClientSpec, PageJob } from './types.ts'

export interface ResumeRecord {
  size: number
  ok: boolean
  verified: boolean
  error: string | null
  /** Body bytes the server had when the page reloaded. */
  receivedBeforeReload: number
  /** Parts the server had answered 200 before the reload. */
  acknowledgedBeforeReload: number
  /** Parts the reloaded page found in its resume record. */
  partsInRecord: number
  /** Bytes received after the reload for parts the server had acknowledged before it. */
  resentAcknowledgedBytes: number
  /** Part bytes received beyond the file's size: parts cut by the reload, and re-sent ones. */
  extraBytes: number
  /** concurrency × part size: what a reload may cost at most. */
  partsInFlightBytes: number
}

const partIndex = (record: WireRecord): number | null =>
  record.method === 'PUT' && record.url.startsWith('/store/resumable') && record.place !== null
    ? Number(record.place)
    : null

/** Compares what was received after `reloadAt` with what was acknowledged before it. */
function account(records: readonly WireRecord[], reloadAt: number) {
  const acknowledged = new Set<number>()
  for (const r of records) {
    const index = partIndex(r)
    if (index !== null && r.status === 200 && (r.answeredAt ?? Infinity) < reloadAt) {
      acknowledged.add(index)
    }
  }
  let resent = 0
  let before = 0
  for (const r of records) {
    const index = partIndex(r)
    if (r.startedAt < reloadAt) before += r.bytes
    else if (index !== null && acknowledged.has(index)) resent += r.bytes
  }
  return { acknowledged: acknowledged.size, resent, before }
}

/** Waits for the page to have reloaded itself; resolves with when it did (epoch ms). */
async function reloaded(page: BenchPage, before: string): Promise<number> {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    // Mid-navigation there is no context to evaluate in: try again shortly.
    const state = (await page
      .evaluate('({ id: window.__bench?.documentId, at: window.__bench?.reloadedAt() })')
      .catch(() => null)) as { id?: string; at?: number | null } | null
    if (state?.id !== undefined && state.id !== before && typeof state.at === 'number') {
      return state.at
    }
    await sleep(20)
  }
  throw new Error('The page did not reload itself within 2 minutes')
}

export async function runResume(setup: RunSetup): Promise<ResumeRecord> {
  const { host, browser, file } = setup
  const client: ClientSpec = { id: PARTWISE_ID, kind: 'partwise' }
  const { chunkSize, concurrency } = partwiseShape(client)
  const { url } = await host.call('prepare', { kind: 'partwise' })
  const job: PageJob = { client, url, resume: true, reloadAt: 0.5 }
  const page = await browser.openPage(setup.pageUrl)
  try {
    const firstDocument = (await page.evaluate('window.__bench.documentId')) as string
    await host.call('begin', null)
    await armAndPick(page, job, file.path)
    const reloadAt = await reloaded(page, firstDocument)
    const stored = (await page.evaluate(
      `window.__bench.storedParts(${JSON.stringify(url)})`,
    )) as number[]
    await armAndPick(page, { ...job, reloadAt: null }, file.path)
    const outcome = await outcomeOf(page, file.size)
    const wire = await host.call('end', null)
    const digest = outcome.ok
      ? await host
          .call('verify', { kind: 'partwise', url, remoteId: outcome.remoteId })
          .catch(() => null)
      : null
    const { acknowledged, resent, before } = account(wire.records, reloadAt)
    // Part bodies only: the completion's JSON is not file bytes.
    const received = wire.records.reduce((sum, r) => sum + (partIndex(r) === null ? 0 : r.bytes), 0)
    return {
      size: file.size,
      ok: outcome.ok,
      verified: digest !== null && digest.sha256 === file.sha256 && digest.size === file.size,
      error: outcome.error,
      receivedBeforeReload: before,
      acknowledgedBeforeReload: acknowledged,
      partsInRecord: stored.length,
      resentAcknowledgedBytes: resent,
      extraBytes: received - file.size,
      partsInFlightBytes: concurrency * chunkSize,
    }
  } finally {
    await page.close()
  }
}
