/**
 * A Transport for the core over node:http, so that the core can upload over real loopback
 * HTTP from Node. It keeps xhrTransport's contract (src/core/transport.ts): upload progress as
 * the body is written, the stall timer re-armed by progress either way, and the three failure
 * reasons (network, stalled, aborted).
 *
 * One transport is one page: `close()` is the page going away (a reload). Its requests in
 * flight are cut, as the browser cuts them, and from then on every request it is handed neither
 * goes out nor settles: a page that is gone runs no more code, so the abandoned upload must not
 * hear back and act (write its record, open a session) as a reloaded page never could.
 */
import { Agent, type ClientRequest, request as httpRequest } from 'node:http'
import {
  type Transport,
  TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from '../../src/core/transport.ts'

export interface NodeTransport {
  transport: Transport
  /** Requests handed to the transport, with the time they were handed over. */
  readonly sent: ReadonlyArray<{ method: string; url: string; index: string | null; at: number }>
  /** The page goes away: requests in flight are cut, and nothing is sent or settles after. */
  close(): void
  readonly closed: boolean
}

const never = new Promise<never>(() => undefined)

/** The body as bytes with its content type: a FormData body is encoded as fetch would. */
async function encode(
  body: TransportRequest['body'],
): Promise<{ bytes: Uint8Array | Blob; type?: string }> {
  if (typeof body === 'string') return { bytes: new TextEncoder().encode(body) }
  if (body instanceof Blob) return { bytes: body }
  const response = new Response(body)
  const type = response.headers.get('content-type') ?? undefined
  return { bytes: new Uint8Array(await response.arrayBuffer()), ...(type ? { type } : {}) }
}

/** Writes `body` to `req` piece by piece, reporting each piece once the socket took it. */
async function writeBody(
  req: ClientRequest,
  body: Uint8Array | Blob,
  onWritten: (bytes: number) => void,
): Promise<void> {
  const write = (chunk: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      req.write(chunk, (error) => (error ? reject(error) : resolve()))
    })
  if (body instanceof Blob) {
    const reader = body.stream().getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (req.destroyed) return
      await write(value)
      onWritten(value.length)
    }
  } else if (body.length > 0) {
    await write(body)
    onWritten(body.length)
  }
  req.end()
}

export function nodeTransport(): NodeTransport {
  const agent = new Agent({ keepAlive: true })
  const live = new Set<ClientRequest>()
  const sent: Array<{ method: string; url: string; index: string | null; at: number }> = []
  let closed = false

  const transport: Transport = (request) => {
    if (closed) return never
    sent.push({
      method: request.method,
      url: request.url,
      index: request.headers['X-Upload-Index'] ?? null,
      at: Date.now(),
    })
    return new Promise<TransportResponse>((resolve, reject) => {
      const { signal, stallTimeoutMs } = request
      let stallTimer: ReturnType<typeof setTimeout> | undefined
      let req: ClientRequest | undefined

      const settle = (done: () => void): void => {
        clearTimeout(stallTimer)
        signal.removeEventListener('abort', onAbort)
        if (req) live.delete(req)
        // The page is gone: nothing reaches the upload any more.
        if (!closed) done()
      }
      const fail = (reason: 'network' | 'stalled' | 'aborted', message: string): void => {
        req?.destroy()
        settle(() => reject(new TransportFailure(reason, message)))
      }
      const armStallTimer = (): void => {
        if (stallTimeoutMs <= 0) return
        clearTimeout(stallTimer)
        stallTimer = setTimeout(
          () => fail('stalled', `No progress for ${stallTimeoutMs} ms`),
          stallTimeoutMs,
        )
      }
      const onAbort = (): void => fail('aborted', 'The request was aborted')
      if (signal.aborted) return onAbort()
      signal.addEventListener('abort', onAbort)

      void encode(request.body).then(({ bytes, type }) => {
        if (signal.aborted || closed) return
        const size = bytes instanceof Blob ? bytes.size : bytes.length
        const headers: Record<string, string> = {
          ...request.headers,
          'Content-Length': String(size),
        }
        if (type) headers['Content-Type'] = type
        const sending = httpRequest(request.url, { method: request.method, headers, agent })
        req = sending
        live.add(sending)
        sending.on('error', () => fail('network', 'The connection failed'))
        sending.on('response', (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => {
            armStallTimer()
            chunks.push(chunk)
          })
          res.on('error', () => fail('network', 'The connection failed'))
          res.on('aborted', () => fail('network', 'The connection failed'))
          res.on('end', () => {
            if (!res.complete) return fail('network', 'The connection failed')
            const retryAfter = res.headers['retry-after']
            settle(() =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString('utf8'),
                retryAfter: typeof retryAfter === 'string' ? retryAfter : null,
              }),
            )
          })
        })
        let loaded = 0
        writeBody(sending, bytes, (n) => {
          loaded += n
          armStallTimer()
          request.onProgress?.(loaded)
        }).catch(() => fail('network', 'The connection failed'))
        armStallTimer()
      })
    })
  }

  return {
    transport,
    sent,
    get closed() {
      return closed
    },
    close() {
      closed = true
      for (const req of live) req.destroy()
      live.clear()
      agent.destroy()
    },
  }
}
