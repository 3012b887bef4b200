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
export class Progress {
  readonly #sizes: readonly number[]
  readonly #marks: number[]
  readonly #acknowledged = new Set<number>()
  readonly total: number
  #sum = 0

  constructor(sizes: readonly number[]) {
    this.#sizes = sizes
    this.#marks = sizes.map(() => 0)
    this.total = sizes.reduce((a, b) => a + b, 0)
  }

  /** The browser reports `loaded` bytes of part `index` sent in the current attempt. */
  sent(index: number, loaded: number): void {
    const mark = this.#marks[index] ?? 0
    const capped = Math.min(loaded, this.#sizes[index] ?? 0)
    if (capped > mark) {
      this.#marks[index] = capped
      this.#sum += capped - mark
    }
  }

  acknowledge(index: number): void {
    this.#acknowledged.add(index)
    this.sent(index, Number.POSITIVE_INFINITY) // capped to the part's size
  }

  get acknowledgedCount(): number {
    return this.#acknowledged.size
  }

  get complete(): boolean {
    return this.#acknowledged.size === this.#sizes.length
  }

  get uploaded(): number {
    return this.complete ? this.total : Math.min(this.#sum, Math.max(0, this.total - 1))
  }
}

/**
 * Speed as an exponentially weighted moving average over samples at least `minIntervalMs`
 * apart, so a burst of progress events does not make the figure jump.
 */
export class SpeedMeter {
  #lastTime: number | null = null
  #lastBytes = 0
  #speed = 0
  readonly #minIntervalMs: number
  readonly #weight: number

  constructor(minIntervalMs = 250, weight = 0.3) {
    this.#minIntervalMs = minIntervalMs
    this.#weight = weight
  }

  sample(bytes: number, now: number): void {
    if (this.#lastTime === null) {
      this.#lastTime = now
      this.#lastBytes = bytes
      return
    }
    const elapsed = now - this.#lastTime
    if (elapsed < this.#minIntervalMs) return
    const instant = ((bytes - this.#lastBytes) * 1000) / elapsed
    this.#speed = this.#speed === 0 ? instant : this.#speed + this.#weight * (instant - this.#speed)
    this.#lastTime = now
    this.#lastBytes = bytes
  }

  /** Forget the last sample: after a pause, the idle time must not count as slowness. */
  restart(): void {
    this.#lastTime = null
  }

  get speed(): number {
    return this.#speed
  }
}
