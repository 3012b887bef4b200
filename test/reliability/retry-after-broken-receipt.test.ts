/**
 * #13 finding 6: after a part's reply breaks the protocol (HTML with a 200, a receipt naming
 * another part), `retry()` must go on and finish: the part whose receipt failed the check goes
 * back to the queue instead of vanishing, which left the upload "uploading" forever.
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

const rig = reliabilityRig()
const SIZE = 4096 * 6 + 100 // seven parts

const wrongPart = (body: string): string => {
  const parsed = JSON.parse(body) as { data: { index: number } }
  parsed.data.index += 1
  return JSON.stringify(parsed)
}

const BROKEN: Array<[string, FaultAction]> = [
  [
    'HTML with a 200',
    {
      kind: 'rewrite',
      status: 200,
      rewrite: () => '<html><body>Welcome to the hotel Wi-Fi</body></html>',
    },
  ],
  ['a receipt naming another part', { kind: 'rewrite', rewrite: wrongPart }],
]

describe('retry() after a broken part reply', () => {
  it.each(BROKEN)(
    '%s: retry() finishes the upload',
    async (_, action) => {
      const bytes = bytesOf(SIZE, 6)
      const url = await rig.session()
      rig.proxy.setRules([{ method: 'PUT', path: '/store/resumable', index: 4, times: 1, action }])
      const { upload, transport } = pageUpload(new Blob([bytes]), { url })

      const first = await within(upload.start(), 10_000)
      expect(first.settled, 'start() settled').toBe(true)
      expect((first.settled ? (first.error as UploadError) : undefined)?.code).toBe(
        'protocol_error',
      )

      const second = await within(upload.retry(), 10_000)
      transport.close()
      const { status, partsAcknowledged, partsTotal } = upload.getSnapshot()
      expect(
        second.settled,
        `retry() settled (still ${status} at ${partsAcknowledged} of ${partsTotal} parts)`,
      ).toBe(true)
      if (!second.settled) return
      const error = second.error as UploadError | undefined
      expect(error && `${error.code}: ${error.message}`, 'retry() rejected').toBeUndefined()
      await rig.proxy.settled()
      const created = rig.mediaCreated(keyOf(url))
      expect(created).toEqual([(second.value as Media).id])
      expect((await rig.stored(created[0] as string)).sha256).toBe(sha256(bytes))
    },
    40_000,
  )
})
