// @vitest-environment jsdom
/**
 * #13 finding 7: an answer that trickles forever must not hold its part forever. Every
 * trickled byte re-armed the stall timer; once the body is sent, the whole answer gets a
 * deadline. This runs the core's own XHR transport (jsdom's XMLHttpRequest, over loopback),
 * since that is where the stall timer lives.
 */
import { describe, expect, it } from 'vitest'
import { createUpload, type UploadError } from '../../src/core/index.ts'
import type { ProxyRule } from '../support/fault-proxy.ts'
import { bytesOf, keyOf, reliabilityRig, within } from '../support/reliability.ts'

const rig = reliabilityRig()
/**
 * The trickle's bytes come 50 times closer together than the stall timeout, so that even a
 * loaded machine's late timers cannot open a gap the stall timer would catch: only a deadline
 * on the whole answer ends it.
 */
const STALL_MS = 1_000
const TRICKLE_MS = 20

const CASES: Array<[string, Omit<ProxyRule, 'action'>]> = [
  ["a part's receipt", { method: 'PUT', index: 1 }],
  ["the completion's answer", { method: 'POST' }],
]

describe('an answer that trickles one byte at a time, forever', () => {
  it.each(CASES)(
    '%s gets a deadline, and the upload goes on',
    async (_, match) => {
      const url = await rig.session()
      rig.proxy.setRules([
        {
          path: '/store/resumable',
          times: 1,
          ...match,
          action: { kind: 'trickle', intervalMs: TRICKLE_MS },
        },
      ])
      const upload = createUpload(new Blob([bytesOf(10_000, 9)]), {
        url,
        chunkSize: 4096,
        resume: false,
        stallTimeoutMs: STALL_MS,
        retryBaseDelayMs: 20,
      })
      const outcome = await within(upload.start(), 10_000)
      const { status } = upload.getSnapshot()
      upload.cancel()
      expect(outcome.settled, `start() settled (still ${status} after 10 s)`).toBe(true)
      if (!outcome.settled) return
      const error = outcome.error as UploadError | undefined
      // The completion's retry meets a spent URL: which answer it then gets is finding 1's
      // business; here only the hang matters, and the one media.
      if (match.method === 'PUT') {
        expect(error && `${error.code}: ${error.message}`, 'start() rejected').toBeUndefined()
      }
      await rig.proxy.settled()
      expect(rig.mediaCreated(keyOf(url))).toHaveLength(1)
    },
    40_000,
  )
})
