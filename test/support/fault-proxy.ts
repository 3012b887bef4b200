/**
 * A fault proxy for the reference server: it forwards each request whole, lets the server do
 * its work, and only THEN loses, replaces, delays, trickles or rewrites the answer, as a flaky
 * network, a gateway or a truncating middlebox would. That is the case a fault injected inside
 * the server cannot make: the server has completed, the client does not know it.
 *
 * Request bodies stream through (parts are never buffered); answers are buffered only when a
 * rule acts on them (they are small JSON). Every exchange is logged with what the server
 * answered and what the client was sent. Binds 127.0.0.1 on a free port; `close()` ends
 * everything, held answers and trickles included, and nothing it starts keeps Node alive.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Transform } from 'node:stream'

export type FaultAction =
  /** The server answers; the client's connection is then cut without a byte of the answer. */
  | { kind: 'lose' }
  /** The server answers; the client gets this status (a gateway's 502) and body instead. */
  | { kind: 'replace'; status: number; body?: string; headers?: Record<string, string> }
  /** The server answers; the answer is held this long (or until the client leaves). */
  | { kind: 'delay'; ms: number }
  /** The server answers; the client gets its head, then one byte every `intervalMs`, forever. */
  | { kind: 'trickle'; intervalMs: number }
  /** The server answers; the client gets the head and `bytes` bytes of the body, then a cut. */
  | { kind: 'truncate'; bytes: number }
  /** The server answers; the client gets `rewrite(body)` (and `status`, when given). */
  | { kind: 'rewrite'; rewrite: (body: string) => string; status?: number }
  /** The request body reaches the server `by` bytes short: a truncating middlebox. */
  | { kind: 'shortBody'; by: number }

export interface ExchangeInfo {
  method: string
  path: string
  /** The upload key (`?key=`), null when none. */
  key: string | null
  /** `X-Upload-Index`, when a whole number. */
  index: number | null
}

export interface ProxyRule {
  method?: string
  /** The pathname, e.g. `/store/resumable`. */
  path?: string
  index?: number
  /** Any other condition, e.g. one upload key only. */
  when?: (exchange: ExchangeInfo) => boolean
  /** How many times the rule fires; unlimited when absent. */
  times?: number
  /** Chance (0–1) that a matching request is hit, drawn from the proxy's seeded random. */
  probability?: number
  action: FaultAction
}

export interface Exchange extends ExchangeInfo {
  seq: number
  /** The action that hit this exchange, if any. */
  fault: FaultAction['kind'] | null
  startedAt: number
  /** What the server answered: null while waiting, or when it never answered. */
  upstreamStatus: number | null
  /** When the server's answer began to arrive (epoch ms); null until then. */
  upstreamAt: number | null
  /** The server's answer body (its first 64 KiB), null until read. */
  upstreamBody: string | null
  /** The status the client was sent; null when the answer was lost or never finished. */
  clientStatus: number | null
  /** The client left (or was cut off) before it had the whole answer. */
  clientGone: boolean
  /** True once the server's side is over: answered whole, or cut off. */
  upstreamEnded: boolean
}

export interface FaultProxy {
  /** The proxy's origin, e.g. `http://127.0.0.1:40123`. */
  readonly origin: string
  /** `url` with its origin replaced by the proxy's. */
  via(url: string): string
  /** Replaces the rules in force (and their firing counts). */
  setRules(rules: readonly ProxyRule[]): void
  /** Reseeds the random that `probability` draws from. */
  seed(seed: number): void
  readonly log: readonly Exchange[]
  clearLog(): void
  /** Resolves once no exchange is still waiting for the server. */
  settled(timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/** mulberry32: a small seeded random, so a failing run's faults can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const LOG_BODY_LIMIT = 64 * 1024
/** A trickle ends by itself after this long, so that a forgotten one cannot hold a test run. */
const TRICKLE_CAP_MS = 120_000

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/** Drops the last `by` bytes of a stream of known length `length`. */
function cutTail(length: number, by: number): Transform {
  let left = Math.max(0, length - by)
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const keep = chunk.subarray(0, Math.min(chunk.length, left))
      left -= keep.length
      done(null, keep)
    },
  })
}

function indexOf(value: string | string[] | undefined): number | null {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null
}

/** Starts a fault proxy in front of `upstream` (an origin like `http://127.0.0.1:4000`). */
export async function startFaultProxy(upstream: string, seed = 1): Promise<FaultProxy> {
  const target = new URL(upstream)
  const agent = new Agent({ keepAlive: true })
  const sockets = new Set<Socket>()
  const timers = new Set<ReturnType<typeof setInterval>>()
  let rules: Array<{ rule: ProxyRule; remaining: number }> = []
  let random = seededRandom(seed)
  let log: Exchange[] = []
  let seq = 0
  let closed = false

  const pick = (info: ExchangeInfo): FaultAction | null => {
    for (const entry of rules) {
      const { rule } = entry
      if (entry.remaining <= 0) continue
      if (rule.method !== undefined && rule.method.toUpperCase() !== info.method) continue
      if (rule.path !== undefined && rule.path !== info.path) continue
      if (rule.index !== undefined && rule.index !== info.index) continue
      if (rule.when && !rule.when(info)) continue
      if (rule.probability !== undefined && random() >= rule.probability) continue
      entry.remaining -= 1
      return rule.action
    }
    return null
  }

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', upstream)
    const method = (req.method ?? 'GET').toUpperCase()
    const info: ExchangeInfo = {
      method,
      path: url.pathname,
      key: url.searchParams.get('key'),
      index: indexOf(req.headers['x-upload-index']),
    }
    const action = pick(info)
    const exchange: Exchange = {
      ...info,
      seq: ++seq,
      fault: action?.kind ?? null,
      startedAt: Date.now(),
      upstreamStatus: null,
      upstreamAt: null,
      upstreamBody: null,
      clientStatus: null,
      clientGone: false,
      upstreamEnded: false,
    }
    log.push(exchange)

    const headers: OutgoingHttpHeaders = { ...req.headers, host: target.host }
    delete headers.connection
    const length = Number(req.headers['content-length'])
    const short = action?.kind === 'shortBody' && Number.isFinite(length) ? action.by : 0
    if (short > 0) headers['content-length'] = String(Math.max(0, length - short))

    const upstreamReq = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: url.pathname + url.search,
        headers,
        agent,
      },
      (upstreamRes) => answer(upstreamRes),
    )
    const finish = (): void => {
      exchange.upstreamEnded = true
    }
    upstreamReq.on('error', () => {
      finish()
      if (!res.headersSent) res.destroy()
    })
    upstreamReq.on('close', () => {
      if (exchange.upstreamStatus === null) finish()
    })
    // The client left: a request whose body is not all here cannot reach the server whole, so
    // it is cut there too; a request already forwarded whole goes on (the server does its work).
    res.on('close', () => {
      if (!res.writableFinished) exchange.clientGone = true
      if (!req.complete) upstreamReq.destroy()
    })
    if (short > 0) req.pipe(cutTail(length, short)).pipe(upstreamReq)
    else req.pipe(upstreamReq)

    const answer = (upstreamRes: IncomingMessage): void => {
      exchange.upstreamStatus = upstreamRes.statusCode ?? 0
      exchange.upstreamAt = Date.now()
      const chunks: Buffer[] = []
      let logged = 0
      upstreamRes.on('data', (chunk: Buffer) => {
        if (logged < LOG_BODY_LIMIT) {
          chunks.push(chunk)
          logged += chunk.length
        }
      })
      const bodyText = (): string =>
        Buffer.concat(chunks).subarray(0, LOG_BODY_LIMIT).toString('utf8')
      const passHeaders = { ...upstreamRes.headers }
      delete passHeaders.connection
      delete passHeaders['keep-alive']
      delete passHeaders['transfer-encoding']

      if (!action || action.kind === 'shortBody') {
        // No fault on the answer: it streams through as it comes.
        res.writeHead(upstreamRes.statusCode ?? 502, passHeaders)
        upstreamRes.pipe(res)
        upstreamRes.on('end', () => {
          exchange.upstreamBody = bodyText()
          exchange.clientStatus = upstreamRes.statusCode ?? null
          finish()
        })
        upstreamRes.on('error', () => {
          finish()
          res.destroy()
        })
        return
      }
      upstreamRes.on('error', () => {
        finish()
        res.destroy()
      })
      upstreamRes.on('end', () => {
        const body = bodyText()
        exchange.upstreamBody = body
        finish()
        void deliver(action, upstreamRes.statusCode ?? 502, passHeaders, body)
      })
    }

    const send = (status: number, head: OutgoingHttpHeaders, body: string): void => {
      if (res.destroyed) return
      const bytes = Buffer.from(body)
      res.writeHead(status, { ...head, 'content-length': String(bytes.length) })
      res.end(bytes, () => {
        exchange.clientStatus = status
      })
    }

    const deliver = async (
      fault: FaultAction,
      status: number,
      head: OutgoingHttpHeaders,
      body: string,
    ): Promise<void> => {
      switch (fault.kind) {
        case 'lose':
          res.destroy()
          return
        case 'replace': {
          const replaced: OutgoingHttpHeaders = {
            'content-type': 'text/html',
            'access-control-allow-origin': '*',
            'access-control-expose-headers': 'Retry-After',
            ...fault.headers,
          }
          send(fault.status, replaced, fault.body ?? '<html><body>502 Bad Gateway</body></html>')
          return
        }
        case 'delay':
          await Promise.race([sleep(fault.ms), new Promise((r) => res.once('close', r))])
          send(status, head, body)
          return
        case 'rewrite':
          send(fault.status ?? status, head, fault.rewrite(body))
          return
        case 'truncate': {
          if (res.destroyed) return
          const bytes = Buffer.from(body)
          res.writeHead(status, { ...head, 'content-length': String(bytes.length) })
          res.write(bytes.subarray(0, fault.bytes), () => res.destroy())
          return
        }
        case 'trickle': {
          if (res.destroyed) return
          const bytes = Buffer.from(body)
          // Announced far longer than it is: the answer never ends, one byte at a time.
          res.writeHead(status, { ...head, 'content-length': String(bytes.length + 1_000_000) })
          let at = 0
          const started = Date.now()
          const timer = setInterval(() => {
            if (res.destroyed || closed || Date.now() - started > TRICKLE_CAP_MS) {
              clearInterval(timer)
              timers.delete(timer)
              res.destroy()
              return
            }
            res.write(at < bytes.length ? bytes.subarray(at, at + 1) : ' ')
            at++
          }, fault.intervalMs)
          timer.unref()
          timers.add(timer)
          return
        }
        case 'shortBody':
          return
      }
    }
  }

  const server = createServer(handle)
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  server.unref()
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    origin,
    via(url) {
      const parsed = new URL(url)
      return origin + parsed.pathname + parsed.search
    },
    setRules(next) {
      rules = next.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }))
    },
    seed(value) {
      random = seededRandom(value)
    },
    get log() {
      return log
    },
    clearLog() {
      log = []
    },
    async settled(timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs
      while (log.some((e) => !e.upstreamEnded) && Date.now() < until) {
        await sleep(5)
      }
    },
    async close() {
      if (closed) return
      closed = true
      for (const timer of timers) clearInterval(timer)
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      agent.destroy()
      await stopped
    },
  }
}
