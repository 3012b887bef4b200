import { describe, expect, it } from 'vitest'
import { backoffDelay, isRetryable } from '../../src/core/retry.ts'
import { MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/core/retry-after.ts'

describe('isRetryable()', () => {
  it.each([0, 408, 429, 500, 502, 503, 504, 599])('retries %i', (status) => {
    expect(isRetryable(status)).toBe(true)
  })
  it.each([400, 401, 403, 404, 409, 410, 413, 422])('fails at once on %i', (status) => {
    expect(isRetryable(status)).toBe(false)
  })
})

describe('backoffDelay()', () => {
  const policy = (random: number) => ({
    retryBaseDelayMs: 100,
    retryMaxDelayMs: 1000,
    random: () => random,
  })
  it('doubles the ceiling with each attempt, up to the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, policy(0.999999))
    expect(top(0)).toBe(99)
    expect(top(1)).toBe(199)
    expect(top(3)).toBe(799)
    expect(top(4)).toBe(999)
    expect(top(40)).toBe(999)
  })
  it('spreads delays over the upper half of the range (equal jitter)', () => {
    expect(backoffDelay(3, policy(0))).toBe(400)
    expect(backoffDelay(3, policy(0.5))).toBe(600)
  })
  it('covers a window of at least half the exponential sum, whatever the randomness', () => {
    const defaults = { retryBaseDelayMs: 500, retryMaxDelayMs: 30_000, random: () => 0 }
    const waits = [0, 1, 2, 3, 4].map((n) => backoffDelay(n, defaults))
    expect(waits.reduce((a, b) => a + b, 0)).toBe(7750) // six attempts at the defaults
  })
})

describe('parseRetryAfter()', () => {
  const now = Date.parse('2026-11-22T12:00:00Z')
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })
  it('reads an HTTP-date', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:00:05 GMT', now)).toBe(5000)
  })
  it('treats a date in the past as no wait', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 11:00:00 GMT', now)).toBe(0)
  })
  it('caps what a server may ask for', () => {
    expect(parseRetryAfter('86400', now)).toBe(MAX_RETRY_AFTER_MS)
  })
  it('returns 0, no wait beyond the backoff, for a hidden, empty or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBe(0)
    expect(parseRetryAfter('', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBe(0)
    expect(parseRetryAfter('-5', now)).toBe(0)
  })
})
