import { describe, expect, it } from 'vitest'
import { formatBytes, formatDuration } from '../../src/conditions/index.ts'

const MB = 1024 * 1024

describe('formatBytes()', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [512, '512 bytes'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [100 * MB, '100 MB'],
    [150 * MB, '150 MB'],
    [14.56 * MB, '14.6 MB'],
    [2.5 * 1024 * MB, '2.5 GB'],
    [3 * 1024 * 1024 * MB, '3 TB'],
    [5000 * 1024 * 1024 * MB, '5000 TB'],
  ])('%d bytes reads "%s"', (bytes, words) => {
    expect(formatBytes(bytes)).toBe(words)
  })

  it('gives the byte count when asked to be exact', () => {
    expect(formatBytes(104857601, true)).toBe('104857601 bytes')
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
