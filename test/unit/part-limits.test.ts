import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { UploadError } from '../../src/core/errors.ts'
import { fitPartSize, type PartLimits } from '../../src/core/part-limits.ts'
import { defaultPartSize } from '../../src/core/plan.ts'

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

describe('fitPartSize() inside a store’s part limits', () => {
  it('plans a 5 TiB file within 10,000 parts of at most 5 GiB', () => {
    const size = fitPartSize(UploadError, 5 * TiB, 16 * MiB, 4, S3)
    expect(Math.ceil((5 * TiB) / size)).toBeLessThanOrEqual(10_000)
    expect(size).toBeLessThanOrEqual(5 * GiB)
    expect(size % MiB).toBe(0)
  })

  it('raises a part size below the minimum, and says so when the app chose it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 50e6, 1 * MiB, 0, S3)).toBe(5 * MiB)
    expect(warn).toHaveBeenCalledOnce()
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/chunkSize 1048576 changed to 5242880/)
  })

  it('fits the default plan without a word', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 50e6, 256 * 1024, 4, S3)).toBe(5 * MiB)
    expect(warn).not.toHaveBeenCalled()
  })

  it('keeps a part size the store takes', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 1 * GiB, 16 * MiB, 0, S3)).toBe(16 * MiB)
    expect(warn).not.toHaveBeenCalled()
  })

  it('refuses a file larger than the store takes, before any byte, in words', () => {
    expect(() => fitPartSize(UploadError, 5 * TiB + 1, 16 * MiB, 4, S3)).toThrow(UploadError)
    expect(() => fitPartSize(UploadError, 5 * TiB + 1, 16 * MiB, 4, S3)).toThrow(
      /at most 5497558138880 bytes/,
    )
    // Beyond what max_size × max_count can hold, even without max_filesize.
    expect(() =>
      fitPartSize(UploadError, 11 * MiB, MiB, 4, { max_size: MiB, max_count: 10 }),
    ).toThrow(/at most 10485760 bytes/)
  })

  it('ignores fields that are not whole numbers', () => {
    const odd = { min_size: -1, max_size: 'big', max_count: 1.5 } as unknown as PartLimits
    expect(fitPartSize(UploadError, 100 * MiB, 16 * MiB, 4, odd)).toBe(16 * MiB)
  })

  it('always yields a plan the limits accept, for any size and wish', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * TiB }),
        fc.integer({ min: 1, max: 64 * GiB }),
        (size, wish) => {
          vi.spyOn(console, 'warn').mockImplementation(() => undefined)
          const part = fitPartSize(UploadError, size, wish, 0, S3)
          expect(part).toBeGreaterThanOrEqual(5 * MiB)
          expect(part).toBeLessThanOrEqual(5 * GiB)
          expect(Math.ceil(size / part)).toBeLessThanOrEqual(10_000)
        },
      ),
    )
  })
})

/** What the S3 store announces since it names a preferred part size (docs/PROTOCOL.md §2e). */
const S3_PREFERRING: PartLimits = { ...S3, preferred_size: 32 * MiB }

/** The default plan as createUpload makes it: plan.ts, then the session's limits. */
const planned = (size: number, concurrency: number, limits: PartLimits): number =>
  fitPartSize(UploadError, size, defaultPartSize(size, concurrency, 16 * MiB), concurrency, limits)

describe('fitPartSize() with a store’s preferred_size', () => {
  it('grows the default plan’s parts past 16 MiB up to it for large files', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(planned(1 * GiB, 4, S3_PREFERRING)).toBe(32 * MiB)
    expect(planned(4 * GiB, 4, S3_PREFERRING)).toBe(32 * MiB)
    expect(planned(1 * GiB, 1, S3_PREFERRING)).toBe(32 * MiB)
    // The default plan is fitted without a word.
    expect(warn).not.toHaveBeenCalled()
    // Without the field, the same files keep the 16 MiB cap.
    expect(planned(1 * GiB, 4, S3)).toBe(16 * MiB)
  })

  it('keeps the parts in flight to 1/8 of the file: a mid-size file is cut as before', () => {
    expect(planned(512 * MiB, 4, S3_PREFERRING)).toBe(16 * MiB)
    expect(planned(768 * MiB, 4, S3_PREFERRING)).toBe(24 * MiB)
    expect(planned(100 * MiB, 4, S3_PREFERRING)).toBe(5 * MiB)
    expect(planned(1 * MiB, 4, S3_PREFERRING)).toBe(5 * MiB)
  })

  it('lowers the default plan’s cap when the store prefers smaller parts', () => {
    expect(planned(1 * GiB, 4, { ...S3, preferred_size: 8 * MiB })).toBe(8 * MiB)
  })

  it('never overrides a chunkSize the app chose', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(fitPartSize(UploadError, 1 * GiB, 16 * MiB, 0, S3_PREFERRING)).toBe(16 * MiB)
    expect(fitPartSize(UploadError, 1 * GiB, 64 * MiB, 0, S3_PREFERRING)).toBe(64 * MiB)
    expect(warn).not.toHaveBeenCalled()
  })

  it('stays within the limits: min_size, max_size and max_count beat the wish', () => {
    expect(planned(1 * GiB, 4, { ...S3, preferred_size: MiB })).toBe(5 * MiB)
    expect(planned(1 * GiB, 4, { ...S3, max_size: 20 * MiB })).toBe(16 * MiB)
    expect(planned(1 * GiB, 4, { ...S3_PREFERRING, max_size: 20 * MiB })).toBe(20 * MiB)
    // 5 TiB in 32 MiB parts would be 163,840 parts: the count wins.
    const part = planned(5 * TiB, 4, S3_PREFERRING)
    expect(Math.ceil((5 * TiB) / part)).toBeLessThanOrEqual(10_000)
  })

  it('ignores a preferred_size that is not a whole number of bytes', () => {
    for (const odd of [-1, 0, 1.5, '32m', null]) {
      const limits = { ...S3, preferred_size: odd } as unknown as PartLimits
      expect(planned(1 * GiB, 4, limits)).toBe(16 * MiB)
    }
  })

  it('for any file and concurrency: within the limits, and in flight at most 1/8 of the file or the minimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 * TiB }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 1, max: 1 * GiB }),
        (size, concurrency, preferred) => {
          const part = planned(size, concurrency, { ...S3, preferred_size: preferred })
          expect(part).toBeGreaterThanOrEqual(5 * MiB)
          expect(part).toBeLessThanOrEqual(5 * GiB)
          expect(Math.ceil(size / part)).toBeLessThanOrEqual(10_000)
          // Unless the count forces larger parts, neither above the wish nor the 1/8 rule.
          if (Math.ceil(size / Math.max(5 * MiB, preferred)) <= 10_000) {
            expect(part).toBeLessThanOrEqual(
              Math.max(5 * MiB, Math.min(preferred, Math.ceil(size / (8 * concurrency)))),
            )
          }
        },
      ),
    )
  })
})
