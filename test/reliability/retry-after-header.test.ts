/**
 * #13 finding 8: a `Retry-After` of 0, or a date already past by the client's clock, must not
 * disable the backoff. A server restart (here: 3 s of 503s) must be waited out as the
 * backoff alone waits it out, not spent in six attempts within a few milliseconds.
 */
import { describe, expect, it } from 'vitest'
import type { UploadError } from '../../src/core/index.ts'
import { bytesOf, pageUpload, reliabilityRig, within } from '../support/reliability.ts'

const rig = reliabilityRig()
/** Long enough that six immediate attempts cannot outlast it even on a loaded machine. */
const OUTAGE_MS = 3_000
const MINUTE = 60_000

/** [case, the header's value (at the moment of the answer), the client clock's lead (ms)] */
const CASES: Array<[string, () => string, number]> = [
  ['Retry-After: 0', () => '0', 0],
  ['a Retry-After date in the past', () => new Date(Date.now() - MINUTE).toUTCString(), 0],
  [
    "a Retry-After date 2 s ahead, with the client's clock a minute ahead of the server's",
    () => new Date(Date.now() + 2_000).toUTCString(),
    MINUTE,
  ],
]

describe('a server restart answered with an unhelpful Retry-After', () => {
  it.each(CASES)(
    '%s: the backoff still waits it out',
    async (_, retryAfter, lead) => {
      const url = await rig.session()
      rig.proxy.setRules([
        {
          path: '/store/resumable',
          when: () => true,
          action: {
            kind: 'replace',
            status: 503,
            body: '{"error":{"message":"Restarting"}}',
            get headers() {
              return { 'content-type': 'application/json', 'retry-after': retryAfter() }
            },
          },
        },
      ])
      const outage = setTimeout(() => rig.proxy.setRules([]), OUTAGE_MS)
      // At these settings the backoff's six attempts cover at least 3.875 s (src/core/retry.ts).
      const { upload, transport } = pageUpload(new Blob([bytesOf(9_000, 8)]), {
        url,
        retryBaseDelayMs: 250,
        retryMaxDelayMs: 30_000,
        maxAttempts: 6,
        now: () => Date.now() + lead,
      })
      const started = Date.now()
      const outcome = await within(upload.start(), 20_000)
      clearTimeout(outage)
      transport.close()
      expect(outcome.settled, 'start() settled').toBe(true)
      const error = outcome.settled ? (outcome.error as UploadError | undefined) : undefined
      expect(
        error && `${error.code} after ${Date.now() - started} ms: ${error.message}`,
        'start() rejected',
      ).toBeUndefined()
    },
    40_000,
  )
})
