/**
 * #13 finding 1: the completion's answer is lost after the server completed (a cut connection,
 * a gateway's 502, an answer slower than `stallTimeoutMs`). The client must not report a stored
 * file as failed, and must never make a second media of it: not by itself, not on Retry.
 */
import { describe, expect, it } from 'vitest'
import type { UploadError } from '../../src/core/index.ts'
import type { FaultAction } from '../support/fault-proxy.ts'
import {
  bytesOf,
  keyOf,
  type Media,
  pageUpload,
  reliabilityRig,
  sha256,
  within,
} from '../support/reliability.ts'
import { DEFINITE_FAILURES } from './outcomes.ts'

const rig = reliabilityRig()
const COMPLETION = { method: 'POST', path: '/store/resumable' }

const LOST: Array<[string, FaultAction]> = [
  ['the connection is cut', { kind: 'lose' }],
  ['a gateway answers 502', { kind: 'replace', status: 502 }],
  ['the answer comes after stallTimeoutMs', { kind: 'delay', ms: 1_500 }],
]

describe('a completion whose answer is lost after the server completed', () => {
  it.each(LOST)(
    '%s: start() resolves with the one media the server stored',
    async (_, action) => {
      const bytes = bytesOf(10_000, 1)
      const url = await rig.session()
      rig.proxy.setRules([{ ...COMPLETION, times: 1, action }])
      const { upload, transport } = pageUpload(new Blob([bytes]), { url, stallTimeoutMs: 500 })

      const outcome = await within(upload.start(), 15_000)
      transport.close()
      await rig.proxy.settled()
      const created = rig.mediaCreated(keyOf(url))
      expect(created, 'media the server created for this upload').toHaveLength(1)
      expect(outcome.settled, 'start() settled').toBe(true)
      if (!outcome.settled) return
      const error = outcome.error as UploadError | undefined
      expect(error && `${error.code}: ${error.message}`, 'start() rejected').toBeUndefined()
      expect((outcome.value as Media).id).toBe(created[0])
      expect((await rig.stored(created[0] as string)).sha256).toBe(sha256(bytes))
    },
    40_000,
  )

  it('every answer lost: no refusal is reported, and Retry stores no second media', async () => {
    const bytes = bytesOf(10_000, 2)
    const sessions: string[] = []
    const url = async () => {
      sessions.push(await rig.session())
      return sessions.at(-1) as string
    }
    rig.proxy.setRules([{ ...COMPLETION, action: { kind: 'lose' } }])
    const { upload, transport } = pageUpload(new Blob([bytes]), { url, maxAttempts: 3 })

    const first = await within(upload.start(), 15_000)
    expect(first.settled, 'start() settled').toBe(true)
    const error = first.settled ? (first.error as UploadError | undefined) : undefined
    // The outcome is unknown: the file may well be stored. No definite failure may be claimed.
    expect(error, 'start() rejected').toBeDefined()
    expect(
      DEFINITE_FAILURES.has(error?.code ?? 'cancelled'),
      `reported ${error?.code}: ${error?.message}`,
    ).toBe(false)

    rig.proxy.setRules([])
    const second = await within(upload.retry(), 15_000)
    transport.close()
    await rig.proxy.settled()
    expect(sessions, 'sessions opened').toHaveLength(1)
    const created = rig.mediaCreated(keyOf(sessions[0] as string))
    expect(created, 'media created').toHaveLength(1)
    expect(second.settled && second.error === undefined, 'retry() resolved').toBe(true)
    if (second.settled) expect((second.value as Media | undefined)?.id).toBe(created[0])
  }, 40_000)
})
