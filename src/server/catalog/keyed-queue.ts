/**
 * Runs tasks one at a time per key, in the order they came: a session's changes on this node
 * never interleave (each catalog then adds its own lock across nodes, where it has one).
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>()

  /** True while a task for `key` runs or waits. */
  busy(key: string): boolean {
    return this.#tails.has(key)
  }

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const run = previous.then(task)
    const tail = run.catch(() => undefined)
    this.#tails.set(key, tail)
    try {
      return await run
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    }
  }
}
