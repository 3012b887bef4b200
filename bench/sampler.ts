/**
 * Samples Chromium's memory every ~100 ms during an upload: RSS summed over its processes
 * (from /proc) and the page's used JS heap (over DevTools). Only the peaks are kept.
 */
import type { BenchPage } from './drivers/types.ts'
import { chromiumProcesses, processKind, rssByKind } from './proc.ts'

const INTERVAL_MS = 100
/** The process list is rescanned this often; reading every /proc/<pid>/stat each tick would cost more than the RSS reads. */
const RESCAN_MS = 1000

export interface MemoryPeaks {
  rssPeak: number
  /** RSS per kind of process at the moment of the peak: which one grew. */
  rssPeakByKind: Record<string, number>
  heapPeak: number
  samples: number
}

export interface MemoryReading {
  rss: number
  rssByKind: Record<string, number>
  heap: number
}

const sum = (values: Record<string, number>): number =>
  Object.values(values).reduce((a, b) => a + b, 0)

const NO_PEAKS: MemoryPeaks = { rssPeak: 0, rssPeakByKind: {}, heapPeak: 0, samples: 0 }

export class MemorySampler {
  #timer: ReturnType<typeof setInterval> | undefined
  #kinds = new Map<number, string>()
  #scannedAt = 0
  #heapPending = false
  #peaks: MemoryPeaks = { ...NO_PEAKS }

  constructor(private readonly page: BenchPage) {}

  /** The current RSS and heap, once: the baseline before an upload. */
  async measure(): Promise<MemoryReading> {
    this.#rescan()
    const byKind = rssByKind(this.#kinds)
    return { rss: sum(byKind), rssByKind: byKind, heap: await this.page.heapUsed() }
  }

  start(): void {
    this.#peaks = { ...NO_PEAKS }
    this.#timer = setInterval(() => this.#sample(), INTERVAL_MS)
    this.#sample()
  }

  /** Stops sampling (once; later calls return the same peaks). */
  stop(): MemoryPeaks {
    if (this.#timer === undefined) return this.#peaks
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#sample()
    return this.#peaks
  }

  #rescan(): void {
    this.#kinds = new Map(chromiumProcesses().map((p) => [p.pid, processKind(p.pid)]))
    this.#scannedAt = Date.now()
  }

  #sample(): void {
    if (Date.now() - this.#scannedAt >= RESCAN_MS) this.#rescan()
    const byKind = rssByKind(this.#kinds)
    const total = sum(byKind)
    if (total > this.#peaks.rssPeak) {
      this.#peaks.rssPeak = total
      this.#peaks.rssPeakByKind = byKind
    }
    this.#peaks.samples++
    // A slow answer (the renderer busy) must not pile up requests behind it.
    if (this.#heapPending) return
    this.#heapPending = true
    this.page.heapUsed().then(
      (heap) => {
        this.#peaks.heapPeak = Math.max(this.#peaks.heapPeak, heap)
        this.#heapPending = false
      },
      () => {
        this.#heapPending = false
      },
    )
  }
}
