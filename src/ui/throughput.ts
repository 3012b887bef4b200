/** The span the rate is measured over: long enough to smooth parts landing in bursts. */
const WINDOW_MS = 5_000
/** No rate from less than this: a first part landing is no measure of the line. */
const MIN_SPAN_MS = 1_000

/**
 * A queue's own throughput: the bytes its files report moving, over the last few seconds, across
 * files starting and ending. Summing each file's speed would undercount each newly started file
 * until it is measured, and its time left would jump. `reset()` when nothing runs, so that a
 * pause is not averaged in (nor a silence longer than the window): after either, no rate until
 * it is measured again. Between two files (one ends, the next is being checked) it goes on.
 */
export class Throughput {
  /** [time, bytes moved since the first sample]: newest last. */
  #samples: Array<readonly [number, number]> = []
  #moved = 0

  add(bytes: number, now: number): void {
    // After a silence longer than the window (offline, a long retry), measure afresh.
    if (now - (this.#samples.at(-1)?.[0] ?? now) > WINDOW_MS) this.#samples = []
    this.#moved += bytes
    const samples = this.#samples
    samples.push([now, this.#moved])
    // Keeps one sample at or before the window's start, so the span covers the whole window.
    while (samples.length > 2 && (samples[1]?.[0] ?? now) <= now - WINDOW_MS) samples.shift()
  }

  reset(): void {
    this.#samples = []
    this.#moved = 0
  }

  /** Bytes per second; 0 until measured over `MIN_SPAN_MS`. */
  rate(): number {
    const first = this.#samples[0]
    const last = this.#samples.at(-1)
    if (!first || !last || last[0] - first[0] < MIN_SPAN_MS) return 0
    return ((last[1] - first[1]) * 1000) / (last[0] - first[0])
  }
}
