import { describe, expect, it } from 'vitest'
import { createProgress, createSpeedMeter } from '../../src/core/progress.ts'

describe('Progress', () => {
  it('adds what each part reports sent', () => {
    const p = createProgress([10, 10, 5])
    p.sent(0, 4)
    p.sent(1, 6)
    expect(p.uploaded).toBe(10)
  })

  it('does not go back when a failed part starts again from 0', () => {
    const p = createProgress([10, 10])
    p.sent(0, 8)
    p.sent(0, 0) // retry
    p.sent(0, 5)
    expect(p.uploaded).toBe(8)
    p.sent(0, 9)
    expect(p.uploaded).toBe(9)
  })

  it('stays a byte short of the total until every part is acknowledged', () => {
    const p = createProgress([10, 10])
    p.sent(0, 10)
    p.sent(1, 10)
    expect(p.uploaded).toBe(19)
    p.acknowledge(0)
    expect(p.uploaded).toBe(19)
    p.acknowledge(1)
    expect(p.uploaded).toBe(20)
    expect(p.acknowledgedCount).toBe(2)
  })

  it('ignores reports beyond a part size and double acknowledgements', () => {
    const p = createProgress([10])
    p.sent(0, 50)
    p.acknowledge(0)
    p.acknowledge(0)
    expect(p.uploaded).toBe(10)
    expect(p.acknowledgedCount).toBe(1)
  })

  it('counts a 0-byte file’s empty part once it is acknowledged', () => {
    const p = createProgress([0])
    expect(p.uploaded).toBe(0)
    expect(p.acknowledgedCount).toBe(0)
    p.acknowledge(0)
    expect(p.acknowledgedCount).toBe(1)
    expect(p.uploaded).toBe(0)
  })
})

describe('SpeedMeter', () => {
  it('measures bytes per second between samples', () => {
    const meter = createSpeedMeter(100, 1)
    meter.sample(0, 0)
    meter.sample(1000, 500)
    expect(meter.speed).toBe(2000)
  })
  it('ignores samples closer together than its interval', () => {
    const meter = createSpeedMeter(100, 1)
    meter.sample(0, 0)
    meter.sample(1000, 10)
    expect(meter.speed).toBe(0)
  })
  it('does not count a pause as slowness after restart()', () => {
    const meter = createSpeedMeter(100, 1)
    meter.sample(0, 0)
    meter.sample(1000, 1000)
    meter.restart()
    meter.sample(1000, 60_000)
    meter.sample(2000, 61_000)
    expect(meter.speed).toBe(1000)
  })
})
