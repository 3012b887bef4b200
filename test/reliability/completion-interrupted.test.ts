/**
 * #13 findings 2, 3 and 4: the completion has reached the server (which completed), its answer
 * is still on the way, and then the page reloads and the same file is picked again (2), or the
 * user pauses and resumes (3), or cancels (4). None of these may store a second media, or show
 * a definite failure ("error" of a definite kind, "cancelled") for the stored file.
 */
import { describe, expect, it } from 'vitest'
import type { Upload, UploadError } from '../../src/core/index.ts'
import { memoryStore } from '../../src/core/resume-store.ts'
import {
  bytesOf,
  keyOf,
  type Media,
  pageUpload,
  reliabilityRig,
  within,
} from '../support/reliability.ts'
import { DEFINITE_FAILURES } from './outcomes.ts'

const rig = reliabilityRig()
/** Shorter than the stall timeout: only the interruption can cut this answer. */
const HELD_MS = 400

/** Resolves once the server has answered the completion (the client has not seen it yet). */
async function serverCompleted(upload: Upload): Promise<void> {
  await new Promise<void>((resolve) => {
    const check = () => upload.getSnapshot().status === 'completing' && resolve()
    upload.subscribe(check)
    check()
  })
  const until = Date.now() + 10_000
  while (!rig.proxy.log.some((e) => e.method === 'POST' && e.upstreamStatus !== null)) {
    if (Date.now() > until) throw new Error('the completion never reached the server')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Every status an upload shows, with its error code. */
function statuses(upload: Upload): string[] {
  const seen: string[] = []
  upload.subscribe(() => {
    const { status, error } = upload.getSnapshot()
    const shown = `${status}${error ? ` ${error.code}` : ''}`
    if (seen.at(-1) !== shown) seen.push(shown)
  })
  return seen
}

const definite = (shown: string): boolean => {
  const [status, code] = shown.split(' ')
  return status === 'cancelled' || (status === 'error' && DEFINITE_FAILURES.has(code as never))
}

async function setUp(seed: number) {
  const bytes = bytesOf(9_000, seed)
  const sessions: string[] = []
  const url = async () => {
    sessions.push(await rig.session())
    return sessions.at(-1) as string
  }
  rig.proxy.setRules([
    { method: 'POST', path: '/store/resumable', times: 1, action: { kind: 'delay', ms: HELD_MS } },
  ])
  const file = new Blob([bytes])
  const store = memoryStore()
  const first = pageUpload(file, { url }, store)
  const shown = statuses(first.upload)
  const started = first.upload.start()
  await serverCompleted(first.upload)
  return { file, store, url, sessions, first, shown, started }
}

async function mediaOf(sessions: string[]): Promise<string[]> {
  await rig.proxy.settled()
  return sessions.flatMap((url) => rig.mediaCreated(keyOf(url)))
}

describe('interrupted while the server completes', () => {
  it('a reload, then the same file picked again: the same media, no second upload', async () => {
    const { file, store, url, sessions, first } = await setUp(21)
    first.transport.close()
    const second = pageUpload(file, { url }, store)
    const outcome = await within(second.upload.start(), 15_000)
    second.transport.close()
    const media = await mediaOf(sessions)
    expect(media, 'media stored').toHaveLength(1)
    expect(sessions, 'sessions opened').toHaveLength(1)
    expect(outcome.settled && !outcome.error, 'the reloaded upload succeeded').toBe(true)
    if (outcome.settled) expect((outcome.value as Media | undefined)?.id).toBe(media[0])
    // Every part is on the server: the success shows it (found by the hammer, seed 1301).
    const { bytesUploaded, bytesTotal, partsAcknowledged, partsTotal } = second.upload.getSnapshot()
    expect([bytesUploaded, partsAcknowledged], 'bytes and parts shown').toEqual([
      bytesTotal,
      partsTotal,
    ])
  }, 40_000)

  it('pause() then resume(): success with the stored media, never a failure shown', async () => {
    const { sessions, first, shown, started } = await setUp(22)
    first.upload.pause()
    await new Promise((resolve) => setTimeout(resolve, 50))
    first.upload.resume()
    const outcome = await within(started, 15_000)
    first.transport.close()
    const media = await mediaOf(sessions)
    expect(shown.filter(definite), 'definite failures shown').toEqual([])
    expect(media, 'media stored').toHaveLength(1)
    const error = outcome.settled ? (outcome.error as UploadError | undefined) : undefined
    expect(outcome.settled && (error?.message ?? 'resolved'), 'start()').toBe('resolved')
    if (outcome.settled) expect((outcome.value as Media | undefined)?.id).toBe(media[0])
  }, 40_000)

  it('cancel(): never "cancelled" for the stored file', async () => {
    const { sessions, first, shown, started } = await setUp(23)
    first.upload.cancel()
    const outcome = await within(started, 15_000)
    first.transport.close()
    const media = await mediaOf(sessions)
    expect(media, 'media stored').toHaveLength(1)
    expect(shown.filter(definite), 'definite failures shown').toEqual([])
    expect(outcome.settled, 'start() settled').toBe(true)
    const error = outcome.settled ? (outcome.error as UploadError | undefined) : undefined
    if (error)
      expect(DEFINITE_FAILURES.has(error.code), `${error.code}: ${error.message}`).toBe(false)
    else if (outcome.settled) expect((outcome.value as Media | undefined)?.id).toBe(media[0])
  }, 40_000)
})
