/**
 * The servers' resident memory during an upload, from /proc every 100 ms: the largest of the
 * server processes (one reference server, or each node of `--nodes 2`). A server that streams
 * parts into its store holds a bounded amount whatever the file's size; one that buffered a
 * part or a file would grow with it.
 */
import { rssBytes } from './proc.ts'

const INTERVAL_MS = 100

export class ServerRssSampler {
  #timer: ReturnType<typeof setInterval> | undefined
  #peak = 0

  constructor(private readonly pids: readonly number[]) {}

  /** The largest server process's RSS now, in bytes. */
  now(): number {
    return Math.max(0, ...this.pids.map(rssBytes))
  }

  start(): void {
    this.#peak = this.now()
    this.#timer = setInterval(() => {
      this.#peak = Math.max(this.#peak, this.now())
    }, INTERVAL_MS)
  }

  /** Stops sampling; the highest RSS seen since `start()`, in bytes. */
  stop(): number {
    clearInterval(this.#timer)
    this.#timer = undefined
    this.#peak = Math.max(this.#peak, this.now())
    return this.#peak
  }
}
