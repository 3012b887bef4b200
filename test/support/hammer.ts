/**
 * One run of the exactly-once hammer (#13): one file picked once, uploaded by the core from
 * Node through the fault proxy to the reference server, while a seeded sequence of pause,
 * resume, cancel, retry and reload plays against it. Returns every broken invariant, with a
 * timeline to read it by.
 *
 * A reload is a page going away: its transport cuts what is in flight and never answers again,
 * and a new Upload of the same Blob starts with the same resume store, as a reloaded page whose
 * user picks the same file again.
 */
import fc from 'fast-check'
import {
  createUpload,
  type Upload,
  type UploadError,
  type UploadErrorCode,
} from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import { DEFINITE_FAILURES } from '../reliability/outcomes.ts'
import { type FaultAction, type ProxyRule, seededRandom } from './fault-proxy.ts'
import { type NodeTransport, nodeTransport } from './node-transport.ts'
import { bytesOf, keyOf, mediaCreated, pageStore, type Rig, sha256, within } from './reliability.ts'

export type Action = 'pause' | 'resume' | 'cancel' | 'retry' | 'reload'
export interface Step {
  waitMs: number
  action: Action
}
/** Chances (0–1) that an answer is hit, per kind of request and fault. */
export interface FaultMix {
  partLost: number
  partGateway: number
  partSlow: number
  partGarbage: number
  doneLost: number
  doneGateway: number
  doneSlow: number
  doneLate: number
}
export interface Scenario {
  size: number
  chunkSize: number
  concurrency: number
  faults: FaultMix
  seed: number
  steps: Step[]
}

/** Fast settings for loopback; a slow answer outlasts the stall timeout on purpose. */
export const TIMING = {
  stallTimeoutMs: 250,
  slowAnswerMs: 400,
  lateAnswerMs: 120,
  retryBaseDelayMs: 10,
  retryMaxDelayMs: 80,
  maxAttempts: 4,
  /** Every start() must settle within this long once the steps are over. */
  settleMs: 8_000,
}

const chance = fc.constantFrom(0, 0, 0.05, 0.1, 0.2)
const action = fc.oneof(
  { arbitrary: fc.constant<Action>('pause'), weight: 3 },
  { arbitrary: fc.constant<Action>('resume'), weight: 3 },
  { arbitrary: fc.constant<Action>('retry'), weight: 2 },
  { arbitrary: fc.constant<Action>('reload'), weight: 2 },
  { arbitrary: fc.constant<Action>('cancel'), weight: 1 },
)

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  size: fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 24_000 }), weight: 12 },
  ),
  chunkSize: fc.constantFrom(2048, 4096),
  concurrency: fc.integer({ min: 1, max: 3 }),
  faults: fc.record({
    partLost: chance,
    partGateway: chance,
    partSlow: chance,
    partGarbage: chance,
    doneLost: chance,
    doneGateway: chance,
    doneSlow: chance,
    doneLate: chance,
  }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  steps: fc.array(fc.record({ waitMs: fc.integer({ min: 0, max: 60 }), action }), {
    maxLength: 6,
  }),
})

const PATH = '/store/resumable'
const GARBAGE: FaultAction = {
  kind: 'rewrite',
  status: 200,
  rewrite: () => '<html><body>Please log in to the network</body></html>',
}

function faultRules(mix: FaultMix, mine: (key: string | null) => boolean): ProxyRule[] {
  const rule = (method: string, probability: number, act: FaultAction): ProxyRule => ({
    method,
    path: PATH,
    probability,
    when: (exchange) => mine(exchange.key),
    action: act,
  })
  return [
    rule('PUT', mix.partLost, { kind: 'lose' }),
    rule('PUT', mix.partGateway, { kind: 'replace', status: 502 }),
    rule('PUT', mix.partSlow, { kind: 'delay', ms: TIMING.slowAnswerMs }),
    rule('PUT', mix.partGarbage, GARBAGE),
    rule('POST', mix.doneLost, { kind: 'lose' }),
    rule('POST', mix.doneGateway, { kind: 'replace', status: 502 }),
    rule('POST', mix.doneSlow, { kind: 'delay', ms: TIMING.slowAnswerMs }),
    rule('POST', mix.doneLate, { kind: 'delay', ms: TIMING.lateAnswerMs }),
  ].filter((r) => (r.probability ?? 0) > 0)
}

/** Statuses in which nothing may be sent. */
const QUIET = new Set(['idle', 'paused', 'success', 'error', 'cancelled'])

interface Page {
  n: number
  upload: Upload
  transport: NodeTransport
  abandoned: boolean
  calls: Array<{ what: string; promise: Promise<unknown> }>
  /** Definite-looking endings shown to the user: when, and what. */
  endings: Array<{ at: number; status: string; code: UploadErrorCode | null; message: string }>
}

export interface RunReport {
  violations: string[]
  timeline: string[]
  outcome: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function runScenario(rig: Rig, scenario: Scenario): Promise<RunReport> {
  const { size, chunkSize, concurrency, faults, seed, steps } = scenario
  const bytes = bytesOf(size, seed)
  const file = new Blob([bytes])
  const store = memoryStore()
  const keys = new Set<string>()
  const violations = new Set<string>()
  const timeline: string[] = []
  const t0 = Date.now()
  const note = (line: string) => timeline.push(`${String(Date.now() - t0).padStart(5)} ${line}`)
  const pages: Page[] = []
  const jitter = seededRandom(seed ^ 0x5bd1e995)

  rig.proxy.clearLog()
  const filesBefore = await rig.filesTotal()
  rig.proxy.seed(seed)
  rig.proxy.setRules(faultRules(faults, (key) => key !== null && keys.has(key)))

  const url = async (): Promise<string> => {
    const session = await rig.session()
    keys.add(keyOf(session))
    note(`session ${keys.size} opened`)
    return session
  }

  const open = (): Page => {
    const n = pages.length
    const transport = nodeTransport()
    const page = { n, transport, abandoned: false, calls: [], endings: [] } as unknown as Page
    page.upload = createUpload(file, {
      url,
      // One uploader: its records are its own, also when `url` is a function (#13 item 15).
      endpoint: 'hammer',
      chunkSize,
      concurrency,
      resume: pageStore(store, transport),
      maxAttempts: TIMING.maxAttempts,
      retryBaseDelayMs: TIMING.retryBaseDelayMs,
      retryMaxDelayMs: TIMING.retryMaxDelayMs,
      stallTimeoutMs: TIMING.stallTimeoutMs,
      random: jitter,
      transport: (request) => {
        const { status } = page.upload.getSnapshot()
        const what = request.method === 'PUT' ? `PUT ${request.headers['X-Upload-Index']}` : 'POST'
        if (QUIET.has(status)) violations.add(`page ${n}: ${what} sent while ${status}`)
        note(`p${n} → ${what}`)
        return transport.transport(request)
      },
    })
    let last = page.upload.getSnapshot()
    page.upload.subscribe(() => {
      const s = page.upload.getSnapshot()
      if (s.bytesUploaded < last.bytesUploaded) {
        violations.add(
          `page ${n}: bytesUploaded went down (${last.bytesUploaded} → ${s.bytesUploaded})`,
        )
      }
      if (
        s.bytesTotal > 0 &&
        s.bytesUploaded === s.bytesTotal &&
        s.partsAcknowledged < s.partsTotal
      ) {
        violations.add(
          `page ${n}: bytesUploaded is the total with ${s.partsAcknowledged} of ${s.partsTotal} parts acknowledged`,
        )
      }
      if (s.status !== last.status) {
        const error = s.error as UploadError | null
        note(`p${n} ${s.status}${error ? ` ${error.code}: ${error.message}` : ''}`)
        if (s.status === 'error' || s.status === 'cancelled') {
          page.endings.push({
            at: Date.now(),
            status: s.status,
            code: error?.code ?? null,
            message: error?.message ?? '',
          })
        }
      }
      last = s
    })
    pages.push(page)
    return page
  }

  let page = open()
  const call = (what: 'start' | 'retry') => {
    note(`p${page.n} ${what}()`)
    page.calls.push({ what, promise: what === 'start' ? page.upload.start() : page.upload.retry() })
  }
  call('start')
  for (const step of steps) {
    await sleep(step.waitMs)
    const { status } = page.upload.getSnapshot()
    if (step.action === 'reload') {
      // After a success or a cancel, picking the file again is a new upload, not this one.
      if (status === 'success' || status === 'cancelled') continue
      note(`p${page.n} reload (was ${status})`)
      page.abandoned = true
      page.transport.close()
      page = open()
      call('start')
    } else if (step.action === 'retry') {
      call('retry')
    } else {
      note(`p${page.n} ${step.action}()`)
      page.upload[step.action]()
    }
  }

  // The end: a paused upload is resumed, and everything asked of the live page must settle.
  if (page.upload.getSnapshot().status === 'paused') {
    note(`p${page.n} resume() (the end)`)
    page.upload.resume()
  }
  const outcomes = await Promise.all(page.calls.map((c) => within(c.promise, TIMING.settleMs)))
  const final = page.upload.getSnapshot()
  outcomes.forEach((outcome, i) => {
    if (!outcome.settled) {
      violations.add(
        `page ${page.n}: ${page.calls[i]?.what}() did not settle within ${TIMING.settleMs} ms ` +
          `(${final.status}, ${final.partsAcknowledged} of ${final.partsTotal} parts)`,
      )
    }
  })
  await rig.proxy.settled()
  // A moment for anything that would still go out after the end (the transport notes it).
  await sleep(TIMING.retryMaxDelayMs)
  for (const p of pages) p.transport.close()
  await rig.proxy.settled()

  // What the server stored, by its Files API (every run's requests are over by now), and by
  // the answers it gave (whether the client got them or not).
  const created = await rig.newestMedia((await rig.filesTotal()) - filesBefore)
  const log = rig.proxy.log
  const answered = [...keys].flatMap((key) => mediaCreated(log, key))
  for (const id of answered) {
    if (!created.includes(id)) violations.add(`rig: media ${id} answered but not listed by /files`)
  }
  for (const e of log.filter((x) => x.key !== null && keys.has(x.key))) {
    note(
      `proxy #${e.seq} ${e.method} ${e.index ?? ''} ${e.fault ?? ''} server ${e.upstreamStatus} client ${e.clientStatus}`,
    )
  }
  if (created.length > 1) violations.add(`${created.length} media stored for one pick`)
  const storing = log.filter(
    (e) => e.method === 'POST' && e.upstreamStatus === 200 && keys.has(e.key ?? ''),
  )
  const storedSince = Math.min(...storing.map((e) => e.startedAt))
  for (const p of pages) {
    for (const ending of p.endings) {
      const definite =
        ending.status === 'cancelled' || DEFINITE_FAILURES.has(ending.code ?? 'cancelled')
      if (definite && ending.at >= storedSince) {
        violations.add(
          `page ${p.n}: ${ending.status} ${ending.code ?? ''} for a stored file (${ending.message})`,
        )
      }
    }
  }
  if (final.status === 'success') {
    if (final.result?.id !== created[0] || created.length !== 1) {
      violations.add(
        `success with ${final.result?.id}, but the server stored [${created.join(', ')}]`,
      )
    }
    if (final.bytesUploaded !== final.bytesTotal) {
      violations.add(`success at ${final.bytesUploaded} of ${final.bytesTotal} bytes`)
    }
  }
  for (const id of created) {
    const stored = await rig.stored(id)
    if (stored.sha256 !== sha256(bytes) || stored.filesize !== size) {
      violations.add(
        `media ${id} holds ${stored.filesize} bytes that differ from the file's ${size}`,
      )
    }
  }
  const error = final.error as UploadError | null
  return {
    violations: [...violations],
    timeline,
    outcome: `${final.status}${error ? ` ${error.code}` : ''} after ${pages.length} page(s), ${keys.size} session(s), ${created.length} media`,
  }
}
