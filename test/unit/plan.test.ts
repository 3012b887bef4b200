import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { partSize, planParts } from '../../src/core/plan.ts'

describe('planParts()', () => {
  it('makes a 0-byte file one empty part 0', () => {
    expect(planParts(0, 10)).toEqual([{ index: 0, start: 0, end: 0 }])
  })

  it('cuts the last part short', () => {
    expect(planParts(25, 10)).toEqual([
      { index: 0, start: 0, end: 10 },
      { index: 1, start: 10, end: 20 },
      { index: 2, start: 20, end: 25 },
    ])
  })

  it('covers every byte exactly once, in order, for any size and part size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 1, max: 1e6 }), (size, n) => {
        const chunk = Math.max(n, Math.ceil(size / 5000)) // keep each case under 5,000 parts
        const parts = planParts(size, chunk)
        expect(parts[0]?.start).toBe(0)
        expect(parts.at(-1)?.end).toBe(size)
        parts.forEach((part, i) => {
          expect(part.index).toBe(i)
          if (i > 0) expect(part.start).toBe(parts[i - 1]?.end)
          expect(partSize(part)).toBeLessThanOrEqual(chunk)
          if (size > 0) expect(partSize(part)).toBeGreaterThan(0)
        })
      }),
    )
  })
})
