import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { UploadError } from '../../src/core/errors.ts'
import { fitPartSize, type PartLimits } from '../../src/core/part-limits.ts'

const MiB = 1024 ** 2
const GiB = 1024 ** 3
const TiB = 1024 ** 4
/** What the S3 store announces (docs/PROTOCOL.md §2e). */
const S3: PartLimits = {
  min_size: 5 * MiB,
  max_size: 5 * GiB,
  max_count: 10_000,
  max_filesize: 5 * TiB,
}

afterEach(() => vi.restoreAllMocks())

describe('fitPartSize(UploadError, ) inside a store’s part limits', () => {
  it('plans a 5 TiB file within 10,000 parts of at most 5 GiB', () => {
    const size = fitPartSize(UploadError, 5 * TiB, 16 * MiB, false, S3)
    expect(Math.ceil((5 * TiB) / size)).toBeLessThanOrEqual(10_000)
    expect(size).toBeLessThanOrEqual(5 * GiB)
    expect(size % MiB).toBe(0)
  })

  it('raises a part size below the minimum, and says so when the app chose it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 50e6, 1 * MiB, true, S3)).toBe(5 * MiB)
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/chunkSize 1048576 changed to 5242880/)
  })

  it('fits the default plan without a word', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 50e6, 256 * 1024, false, S3)).toBe(5 * MiB)
    expect(warn).not.toHaveBeenCalled()
  })

  it('keeps a part size the store takes', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 1 * GiB, 16 * MiB, true, S3)).toBe(16 * MiB)
    expect(warn).not.toHaveBeenCalled()
  })

  it('refuses a file larger than the store takes, before any byte, in words', () => {
    expect(() => fitPartSize(UploadError, 5 * TiB + 1, 16 * MiB, false, S3)).toThrow(UploadError)
    expect(() => fitPartSize(UploadError, 5 * TiB + 1, 16 * MiB, false, S3)).toThrow(
      /at most 5497558138880 bytes/,
    )
    // Beyond what max_size × max_count can hold, even without max_filesize.
    expect(() =>
      fitPartSize(UploadError, 11 * MiB, MiB, false, { max_size: MiB, max_count: 10 }),
    ).toThrow(/at most 10485760 bytes/)
  })

  it('ignores fields that are not whole numbers', () => {
    const odd = { min_size: -1, max_size: 'big', max_count: 1.5 } as unknown as PartLimits
    expect(fitPartSize(UploadError, 100 * MiB, 16 * MiB, false, odd)).toBe(16 * MiB)
  })

  it('always yields a plan the limits accept, for any size and wish', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * TiB }),
        fc.integer({ min: 1, max: 64 * GiB }),
        (size, wish) => {
          vi.spyOn(console, 'warn').mockImplementation(() => undefined)
          const part = fitPartSize(UploadError, size, wish, true, S3)
          expect(part).toBeGreaterThanOrEqual(5 * MiB)
          expect(part).toBeLessThanOrEqual(5 * GiB)
          expect(Math.ceil(size / part)).toBeLessThanOrEqual(10_000)
        },
      ),
    )
  })
})
