import { describe, expect, it } from 'vitest'
import { type Conditions, createUpload, UploadError } from '../../src/core/index.ts'
import { scriptedTransport } from '../support/scripted.ts'

/**
 * The conditions module is a leaf with an error type of its own; the core turns what it says
 * into the one error `partwise` rejects with, at the boundary, the same as before the split.
 */
function rejection(conditions: unknown) {
  const { calls, transport } = scriptedTransport()
  const file = new Blob(['0123456789'])
  const upload = createUpload(file, {
    url: 'u',
    transport,
    resume: false,
    conditions: conditions as Conditions,
  })
  return {
    calls,
    file,
    done: upload.start().then(
      () => null,
      (error: unknown) => error,
    ),
  }
}

describe('conditions at the boundary of the core', () => {
  it('rejects malformed conditions with an UploadError invalid_conditions and no refusal', async () => {
    const { calls, done } = rejection([{ prop: 'colour', operator: '==', value: 'red' }])
    const error = await done
    expect(error).toBeInstanceOf(UploadError)
    expect(error).toMatchObject({ code: 'invalid_conditions', refusal: undefined })
    expect((error as UploadError).message).toMatch(/^conditions\[0\]\.prop: 'colour' is not one of/)
    expect(calls).toHaveLength(0)
  })

  it('rejects a file that breaks them with conditions_failed and the refusal', async () => {
    const { calls, file, done } = rejection([{ prop: 'filesize', operator: '<=', value: 4 }])
    const error = (await done) as UploadError
    expect(error).toBeInstanceOf(UploadError)
    expect(error.code).toBe('conditions_failed')
    expect(error.message).toBe('The file is 10 bytes; the limit is 4 bytes')
    expect(error.refusal?.file).toBe(file)
    expect(error.refusal?.errors).toMatchObject([{ code: 'rule_failed', actual: 10 }])
    expect(calls).toHaveLength(0)
  })
})
