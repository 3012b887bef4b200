import type { IncomingMessage, Server, ServerResponse } from 'node:http'

/**
 * The requests a server is answering, so that a shutdown can let them finish. While the server
 * drains, every answer says `Connection: close`: a keep-alive connection then carries no new
 * request to a node that is going away, and the client (or the load balancer) opens its next
 * one elsewhere.
 */
export class InFlight {
  readonly #active = new Set<ServerResponse>()
  #draining = false
  #onIdle: (() => void) | null = null

  get draining(): boolean {
    return this.#draining
  }

  get size(): number {
    return this.#active.size
  }

  /** Counts the request until its response closes. */
  track(_req: IncomingMessage, res: ServerResponse): void {
    this.#active.add(res)
    if (this.#draining) res.setHeader('Connection', 'close')
    res.once('close', () => {
      this.#active.delete(res)
      if (this.#active.size === 0) this.#onIdle?.()
    })
  }

  /** Resolves once no request is in flight (at once when none is). */
  #idle(): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.#onIdle = resolve
    })
  }

  /**
   * Stops taking connections, lets the requests in flight finish for up to `graceMs`, then
   * cuts whatever is left. Resolves once the server is closed.
   */
  async drain(server: Server, graceMs: number): Promise<void> {
    this.#draining = true
    for (const res of this.#active) if (!res.headersSent) res.setHeader('Connection', 'close')
    const closed = server.listening
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve()
    server.closeIdleConnections()
    let timer: NodeJS.Timeout | undefined
    if (graceMs > 0) {
      await Promise.race([
        this.#idle(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs)
        }),
      ])
    }
    clearTimeout(timer)
    // Past the bound (or with none): in-flight uploads and keep-alive links would hold close() open.
    server.closeAllConnections()
    await closed
  }
}
