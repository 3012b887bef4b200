/**
 * Sees every request body the servers in this process read, without touching their code:
 * Node's `http.server.request.start` diagnostics channel hands over each request, and wrapping
 * its `push` (where the HTTP parser delivers body bytes) times the first byte and counts them
 * all. Cost: one extra function call per chunk of ~64 KiB, the same for every server.
 */
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { anchoredClock } from '../clock.ts'

/** One request as it went over the wire. Times are epoch milliseconds (see clock.ts). */
export interface WireRecord {
  /** The local port: which server took it. */
  port: number
  method: string
  url: string
  /** `X-Upload-Index`, `Content-Range` or `Upload-Offset`: whichever names the bytes' place. */
  place: string | null
  startedAt: number
  /** When the first body byte reached the server; null for a request without a body. */
  firstByteAt: number | null
  bytes: number
  /** When the answer was fully handed to the socket; null if it never was. */
  answeredAt: number | null
  status: number
}

interface RequestStart {
  request: IncomingMessage
  response: ServerResponse
}

export class WireTap {
  records: WireRecord[] = []
  #now = anchoredClock()

  constructor() {
    subscribe('http.server.request.start', (message) => this.#watch(message as RequestStart))
  }

  /** Forgets what was seen, and re-anchors the clock: the next run starts afresh. */
  clear(): void {
    this.records = []
    this.#now = anchoredClock()
  }

  #watch({ request, response }: RequestStart): void {
    const header = (name: string): string | null => {
      const value = request.headers[name]
      return typeof value === 'string' ? value : null
    }
    const record: WireRecord = {
      port: request.socket.localPort ?? 0,
      method: request.method ?? '',
      url: request.url ?? '',
      place: header('x-upload-index') ?? header('content-range') ?? header('upload-offset'),
      startedAt: this.#now(),
      firstByteAt: null,
      bytes: 0,
      answeredAt: null,
      status: 0,
    }
    this.records.push(record)
    const now = this.#now
    const push = request.push
    request.push = function (this: IncomingMessage, chunk, encoding) {
      if (chunk !== null && chunk !== undefined) {
        const length = (chunk as { length: number }).length
        if (length > 0) {
          record.firstByteAt ??= now()
          record.bytes += length
        }
      }
      return push.call(this, chunk, encoding)
    }
    response.once('finish', () => {
      record.answeredAt = now()
      record.status = response.statusCode
    })
  }
}
