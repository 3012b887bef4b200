import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration } from '../../src/conditions/index.ts'

describe('formatBytes()', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [512, '512 bytes'],
    [999, '999 bytes'],
    [1000, '1 KB'],
    [1024, '1.02 KB'],
    [1500, '1.5 KB'],
    [999_400, '999 KB'],
    [999_500, '1 MB'],
    [100e6, '100 MB'],
    [50_000_000, '50 MB'],
    [64e6, '64 MB'],
    [150e6, '150 MB'],
    [14.56e6, '14.6 MB'],
    [100 * 1024 * 1024, '105 MB'],
    [2.5e9, '2.5 GB'],
    [3e12, '3 TB'],
    [5000e12, '5000 TB'],
  ])('%d bytes reads "%s": decimal units, as disks and browsers count', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words)
  })

  it('gives the byte count when asked to be exact', () => {
    expect(formatBytes(100_000_001, true)).toBe('100000001 bytes')
  })
})

describe('formatDuration()', () => {
  it.each([
    [0, '0 s'],
    [0.4, '0.4 s'],
    [2.5, '2.5 s'],
    [12, '12 s'],
    [12.4, '12 s'],
    [59.6, '1 min'],
    [300, '5 min'],
    [432, '7 min 12 s'],
    [3600, '1 h'],
    [3723, '1 h 2 min 3 s'],
    [5400, '1 h 30 min'],
  ])('%d s reads "%s"', (seconds, words) => {
    expect(formatDuration(seconds)).toBe(words)
  })

  it('keeps fractions of a second, to the millisecond, when asked to be exact', () => {
    expect(formatDuration(300.4, true)).toBe('5 min 0.4 s')
    expect(formatDuration(1.23456, true)).toBe('1.235 s')
  })
})
