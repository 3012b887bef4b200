/** What the server tells a client about part sizes, and how it holds parts to it (no store). */
import { describe, expect, it } from 'vitest'
import {
  completionSizeProblem,
  formatBytes,
  partLimitsField,
  partSizeProblem,
  S3_PART_LIMITS,
} from '../../src/server/storage/part-limits.ts'
import { classify, toStorageError } from '../../src/server/storage/s3/client.ts'
import { parseS3Url } from '../../src/server/storage/s3/location.ts'
import { StorageRefusal, StorageUnavailable } from '../../src/server/storage/types.ts'

const MiB = 1024 * 1024
const held = (entries: [number, number][]): Map<number, number> => new Map(entries)

describe('part_limits', () => {
  it('is S3’s: 5 MiB minimum, 5 GiB maximum, 10,000 parts, 5 TiB a file; 32 MiB preferred', () => {
    expect(partLimitsField(S3_PART_LIMITS)).toEqual({
      min_size: 5 * MiB,
      max_size: 5 * 1024 * MiB,
      max_count: 10_000,
      max_filesize: 5 * 1024 * 1024 * MiB,
      preferred_size: 32 * MiB,
    })
    // A store without a wish sends no field: a client plans as it always did.
    const { preferredSize: _, ...noWish } = S3_PART_LIMITS
    expect(partLimitsField(noWish)).not.toHaveProperty('preferred_size')
    expect(formatBytes(5 * MiB)).toBe('5 MiB')
    expect(formatBytes(5 * MiB - 1)).toBe('5,242,879 bytes')
  })
})

describe('a part is refused as soon as the server can know it breaks the limits', () => {
  const limits = S3_PART_LIMITS

  it('a small part is fine while it may be the last', () => {
    expect(partSizeProblem(held([[0, 10 * MiB]]), 1, 100, limits)).toBeNull()
    expect(partSizeProblem(held([]), 0, 0, limits)).toBeNull()
  })

  it('a small part with a later part already held', () => {
    expect(partSizeProblem(held([[3, 10 * MiB]]), 1, 100, limits)).toBe(
      "Part 1 is 100 bytes, below this storage's minimum of 5 MiB for every part but the last, and part 3 comes after it",
    )
  })

  it('a later part after a small one', () => {
    expect(partSizeProblem(held([[0, 100]]), 1, 10 * MiB, limits)).toBe(
      "Part 0 is 100 bytes, below this storage's minimum of 5 MiB for every part but the last, so part 1 cannot follow it: re-send part 0 whole",
    )
  })

  it('a re-sent part replaces its own earlier size', () => {
    // Part 0 held small and re-sent whole: the small copy is not "before" it.
    expect(partSizeProblem(held([[0, 100]]), 0, 10 * MiB, limits)).toBeNull()
  })

  it('too large, or past the last index', () => {
    expect(partSizeProblem(held([]), 0, 5 * 1024 * MiB + 1, limits)).toBe(
      'Part 0 is 5,368,709,121 bytes; this storage takes at most 5 GiB per part',
    )
    expect(partSizeProblem(held([]), 10_000, MiB, limits)).toMatch(
      /beyond this storage's limit of 10000 parts/,
    )
  })

  it('at completion: the minimum, the count and the total', () => {
    expect(completionSizeProblem([5 * MiB, 5 * MiB, 1], limits)).toBeNull()
    expect(completionSizeProblem([0], limits)).toBeNull()
    expect(completionSizeProblem([5 * MiB, 100, 5 * MiB], limits)).toBe(
      "Part 1 is 100 bytes, below this storage's minimum of 5 MiB for every part but the last",
    )
    expect(completionSizeProblem(new Array(10_001).fill(5 * MiB), limits)).toMatch(/10001 parts/)
  })
})

describe('s3://BUCKET/PREFIX', () => {
  it.each([
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['s3://bucket/', { bucket: 'bucket', prefix: '' }],
    ['s3://my.bucket-1/uploads', { bucket: 'my.bucket-1', prefix: 'uploads/' }],
    ['s3://bucket//a/b/', { bucket: 'bucket', prefix: 'a/b/' }],
  ])('%s', (url, location) => {
    expect(parseS3Url(url)).toEqual(location)
  })

  it.each(['s3://', 's3://Bucket', 's3://ab', 'http://bucket/x', 's3://bucket/a/../b'])(
    'refuses %s with the expected form',
    (url) => {
      expect(() => parseS3Url(url)).toThrow(/s3:\/\/BUCKET|"\."/)
    },
  )
})

describe('a store’s errors become the server’s own', () => {
  const sdk = (name: string, status?: number) =>
    Object.assign(new Error(`raw ${name}`), {
      name,
      ...(status === undefined ? {} : { $metadata: { httpStatusCode: status } }),
    })

  it.each([
    ['InvalidPart', 400, 'part_mismatch'],
    ['EntityTooSmall', 400, 'part_too_small'],
    ['NoSuchUpload', 404, 'upload_gone'],
    ['NotFound', 404, 'not_found'],
    ['UnknownError', 503, 'unavailable'],
    ['InternalError', 500, 'unavailable'],
    ['SlowDown', 503, 'unavailable'],
    ['TimeoutError', undefined, 'unavailable'],
    ['AccessDenied', 403, 'refused'],
  ] as const)('%s (%s) is %s', (name, status, kind) => {
    expect(classify(sdk(name, status))).toBe(kind)
  })

  it('a refused etag is a 4xx refusal; an outage a 503 one; neither quotes the store', () => {
    const refusal = toStorageError(sdk('InvalidPart', 400), 'joining the parts')
    expect(refusal).toBeInstanceOf(StorageRefusal)
    const outage = toStorageError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'storing part 2',
    )
    expect(outage).toBeInstanceOf(StorageUnavailable)
    expect(outage.message).toBe(
      'The storage is not answering (storing part 2). Nothing was lost: retry shortly.',
    )
    expect(`${refusal.message} ${outage.message}`).not.toMatch(/raw|ECONN/)
  })
})
