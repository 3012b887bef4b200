/**
 * A minimal DevTools protocol client over `--remote-debugging-pipe` (fd 3 to Chromium, fd 4
 * back; one JSON message per NUL-terminated frame). No WebSocket, no dependency, and no domain
 * enabled that the caller did not ask for: in particular never Network.
 */
import type { Readable, Writable } from 'node:stream'

interface Message {
  id?: number
  method?: string
  sessionId?: string
  params?: Record<string, unknown>
  result?: Record<string, unknown>
  error?: { message: string }
}

type Listener = (params: Record<string, unknown>, sessionId: string | undefined) => void

export class CdpPipe {
  readonly #out: Writable
  readonly #pending = new Map<
    number,
    { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }
  >()
  readonly #listeners = new Map<string, Set<Listener>>()
  #next = 1
  #buffer = ''

  constructor(out: Writable, input: Readable) {
    this.#out = out
    input.setEncoding('utf8')
    input.on('data', (text: string) => this.#receive(text))
    input.on('close', () => {
      for (const { reject } of this.#pending.values()) reject(new Error('Chromium went away'))
      this.#pending.clear()
    })
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.#next++
    const message: Message = { id, method, params, ...(sessionId ? { sessionId } : {}) }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#out.write(`${JSON.stringify(message)}\0`)
    })
  }

  /** Calls `listener` for each `method` event; returns the unsubscribe. */
  on(method: string, listener: Listener): () => void {
    const set = this.#listeners.get(method) ?? new Set()
    set.add(listener)
    this.#listeners.set(method, set)
    return () => {
      set.delete(listener)
    }
  }

  #receive(text: string): void {
    this.#buffer += text
    let end = this.#buffer.indexOf('\0')
    while (end >= 0) {
      const message = JSON.parse(this.#buffer.slice(0, end)) as Message
      this.#buffer = this.#buffer.slice(end + 1)
      this.#dispatch(message)
      end = this.#buffer.indexOf('\0')
    }
  }

  #dispatch(message: Message): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error) pending?.reject(new Error(message.error.message))
      else pending?.resolve(message.result ?? {})
      return
    }
    for (const listener of this.#listeners.get(message.method ?? '') ?? []) {
      listener(message.params ?? {}, message.sessionId)
    }
  }
}
