/**
 * Byte accounting that never lies: the count never decreases, and it reaches the total only
 * when every part is acknowledged.
 *
 * Each part keeps a high-water mark of bytes the browser reported sent. A failed attempt's
 * retry starts again from 0, but the mark stays, so the count stands still until the retry
 * passes it. A part's bytes all count only when the server acknowledges it: before that, the
 * total is held one byte short, since XHR reports a body fully sent before the server has
 * stored it.
 */
export interface Progress {
  /** The browser reports `loaded` bytes of part `index` sent in the current attempt. */
  sent(index: number, loaded: number): void
  acknowledge(index: number): void
  readonly acknowledgedCount: number
  readonly uploaded: number
}

/** Closures rather than a class with private fields: the same behaviour, fewer bytes shipped. */
export function createProgress(sizes: readonly number[]): Progress {
  const marks = sizes.map(() => 0)
  const acknowledged = new Set<number>()
  const total = sizes.reduce((a, b) => a + b, 0)
  let sum = 0
  const sent = (index: number, loaded: number): void => {
    const mark = marks[index] as number
    const capped = Math.min(loaded, sizes[index] as number)
    if (capped > mark) {
      marks[index] = capped
      sum += capped - mark
    }
  }
  return {
    sent,
    acknowledge(index) {
      acknowledged.add(index)
      sent(index, Number.POSITIVE_INFINITY) // capped to the part's size
    },
    get acknowledgedCount() {
      return acknowledged.size
    },
    get uploaded() {
      return acknowledged.size === sizes.length ? total : Math.min(sum, Math.max(0, total - 1))
    },
  }
}

export interface SpeedMeter {
  sample(bytes: number, now: number): void
  /** Forget the last sample: after a pause, the idle time must not count as slowness. */
  restart(): void
  readonly speed: number
}

/**
 * Speed as an exponentially weighted moving average over samples at least `minIntervalMs`
 * apart, so a burst of progress events does not make the figure jump.
 */
export function createSpeedMeter(minIntervalMs = 250, weight = 0.3): SpeedMeter {
  let lastTime: number | null = null
  let lastBytes = 0
  let speed = 0
  return {
    sample(bytes, now) {
      if (lastTime !== null) {
        const elapsed = now - lastTime
        if (elapsed < minIntervalMs) return
        const instant = ((bytes - lastBytes) * 1000) / elapsed
        speed = speed === 0 ? instant : speed + weight * (instant - speed)
      }
      lastTime = now
      lastBytes = bytes
    },
    restart() {
      lastTime = null
    },
    get speed() {
      return speed
    },
  }
}
