/**
 * #13 finding 5: a media whose `filesize` differs from the file's size is not a success. A
 * truncating middlebox made the server store a file one byte short, and `start()` resolved.
 */
import { describe, expect, it } from 'vitest'
import type { UploadError } from '../../src/core/index.ts'
import type { ProxyRule } from '../support/fault-proxy.ts'
import { bytesOf, keyOf, pageUpload, reliabilityRig, within } from '../support/reliability.ts'

const rig = reliabilityRig()
const SIZE = 4096 * 3 + 11 // four parts, the last one short

const oneByteShort = (body: string): string => {
  const parsed = JSON.parse(body) as { data: { filesize: number } }
  parsed.data.filesize -= 1
  return JSON.stringify(parsed)
}

/** [case, the rule, the size the server then stores] */
const CASES: Array<[string, ProxyRule, number]> = [
  [
    'the last part reaches the server one byte short',
    { method: 'PUT', index: 3, times: 1, action: { kind: 'shortBody', by: 1 } },
    SIZE - 1,
  ],
  [
    "the completion's answer says one byte less",
    { method: 'POST', times: 1, action: { kind: 'rewrite', rewrite: oneByteShort } },
    SIZE,
  ],
]

describe('a completion whose media is one byte short of the file', () => {
  it.each(CASES)(
    '%s: start() rejects with protocol_error',
    async (_, rule, storedSize) => {
      const url = await rig.session()
      rig.proxy.setRules([{ path: '/store/resumable', ...rule }])
      const { upload, transport } = pageUpload(new Blob([bytesOf(SIZE, 5)]), { url })
      const outcome = await within(upload.start(), 15_000)
      transport.close()
      await rig.proxy.settled()
      // The rig did what the case says: the server stored a file, of this size.
      const [media] = rig.mediaCreated(keyOf(url))
      expect((await rig.stored(media as string)).filesize).toBe(storedSize)
      expect(outcome.settled, 'start() settled').toBe(true)
      const error = outcome.settled ? (outcome.error as UploadError | undefined) : undefined
      expect(error?.code, `start() ended with ${error?.message ?? 'a success'}`).toBe(
        'protocol_error',
      )
      expect(upload.getSnapshot().status).toBe('error')
    },
    40_000,
  )
})
