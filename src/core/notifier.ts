/**
 * Listeners plus a throttle. State changes (status, error, result) reach listeners at once;
 * progress is coalesced to one notification per `intervalMs`, so a fast network cannot make a
 * UI render hundreds of times a second.
 */
export class Notifier {
  readonly #listeners = new Set<() => void>()
  readonly #intervalMs: number
  readonly #publish: () => void
  #timer: ReturnType<typeof setTimeout> | undefined

  /** `publish` rebuilds the snapshot; it runs just before listeners are called. */
  constructor(publish: () => void, intervalMs = 16) {
    this.#publish = publish
    this.#intervalMs = intervalMs
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** Something that matters changed: tell everyone now. */
  now(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#publish()
    for (const listener of [...this.#listeners]) listener()
  }

  /** Bytes moved: tell everyone soon, once for all the progress until then. */
  soon(): void {
    if (this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.now()
    }, this.#intervalMs)
  }
}
