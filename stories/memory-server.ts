/**
 * An upload server in the page, for the static Storybook (`storybook build`), where no reference
 * server runs: it speaks docs/PROTOCOL.md behind the core's `transport` seam, so the published
 * stories upload for real. Sessions (§1), parts PUT with `X-Upload-Index` and answered with an
 * etag (§2b), a completion that checks the part list and answers a media object (§2d), the same
 * media again for a repeated completion (§2c), a simple multipart POST (§2a), and error envelopes
 * (§5). Bytes stay in the page (a part is a slice of the picked file, not a copy), and move at a
 * set rate so that progress, pause and speed can be seen. Stories only: never in the library.
 */
import type { Media, Transport, TransportRequest, TransportResponse } from '../src/core/index.ts'
import { TransportFailure } from '../src/core/transport.ts'

/** The fields of the reference server's fault rules (its control API) that the stories use. */
export interface FaultRule {
  method?: string
  path?: string
  status?: number
  times?: number
  probability?: number
  latencyMs?: number
}

interface Session {
  filename: string
  type: string
  parts: Map<number, { blob: Blob; etag: string }>
  /** The completion's part list, as sent, and its answer: a repeat gets the same media. */
  completed: { parts: string; media: Media } | null
}

const ORIGIN = 'https://uploads.partwise.invalid'
const RESUMABLE = '/store/resumable'

const reply = (status: number, body: unknown, retryAfter: string | null = null) => ({
  status,
  body: JSON.stringify(body),
  retryAfter,
})
const refuse = (status: number, message: string): TransportResponse =>
  reply(status, { meta: { status }, error: { message } })

/** Waits `ms`, or rejects as the transport must when the engine aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const aborted = () => {
      clearTimeout(timer)
      reject(new TransportFailure('aborted', 'Aborted'))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', aborted)
      resolve()
    }, ms)
    if (signal.aborted) aborted()
    else signal.addEventListener('abort', aborted, { once: true })
  })
}

function kindOf(type: string): Media['kind'] {
  const top = type.split('/')[0]
  return top === 'image' || top === 'video' || top === 'audio' ? top : null
}

async function mediaOf(id: string, file: Blob, filename: string): Promise<Media> {
  let width: number | null = null
  let height: number | null = null
  if (file.type.startsWith('image/')) {
    try {
      const bitmap = await createImageBitmap(file)
      ;({ width, height } = bitmap)
      bitmap.close()
    } catch {} // not an image a browser can read: no dimensions, as the server would say
  }
  return {
    id,
    object: 'media',
    kind: kindOf(file.type),
    width,
    height,
    duration: null,
    filesize: file.size,
    filename,
    status: 'ready',
    sources: [{ url: URL.createObjectURL(file), type: file.type }],
    metadata: {},
  }
}

export class MemoryServer {
  /**
   * Bytes per second for each request's body: with 4 parts in flight, a few MB/s, so that a
   * photo picked in the docs shows its progress (a loopback would be over before it is seen).
   */
  bytesPerSecond = 1_000_000
  readonly #sessions = new Map<string, Session>()
  #rules: Array<{ rule: FaultRule; remaining: number }> = []
  #serial = 0

  /** The app's backend asking for an upload URL (§1): here, a URL that only this page knows. */
  createSession(file: Blob): { url: string } {
    const key = `k${++this.#serial}`
    const { name = '', type } = file as Partial<File> & Blob
    this.#sessions.set(key, { filename: name, type, parts: new Map(), completed: null })
    return { url: `${ORIGIN}${RESUMABLE}?key=${key}` }
  }

  /** The same fault rules as the reference server's control API (the fields stories use). */
  setFaults(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }))
  }

  readonly transport: Transport = async (request) => {
    const url = new URL(request.url)
    const fault = this.#pick(request.method, url.pathname)
    if (fault?.latencyMs) await sleep(fault.latencyMs, request.signal)
    await this.#send(request)
    if (fault?.status) {
      const message = `The server answered ${fault.status} (a fault set by this story)`
      return reply(fault.status, { meta: { status: fault.status }, error: { message } })
    }
    const session = this.#sessions.get(url.searchParams.get('key') ?? '')
    if (!session || url.pathname !== RESUMABLE) return refuse(404, 'No such upload URL')
    if (request.body instanceof FormData) return this.#simple(session, request.body)
    if (request.method === 'PUT') return this.#part(session, request)
    return this.#complete(session, String(request.body))
  }

  #pick(method: string, path: string): FaultRule | null {
    for (const entry of this.#rules) {
      const { rule } = entry
      if (rule.method && rule.method !== method) continue
      if (rule.path && rule.path !== path) continue
      if (entry.remaining <= 0 || Math.random() >= (rule.probability ?? 1)) continue
      entry.remaining--
      return rule
    }
    return null
  }

  /** The body "on the wire": progress in steps at `bytesPerSecond`, abortable. */
  async #send(request: TransportRequest): Promise<void> {
    const size = request.body instanceof Blob ? request.body.size : 0
    const step = Math.max(1, Math.round(this.bytesPerSecond / 20)) // 50 ms of bytes
    for (let sent = 0; sent < size; ) {
      await sleep(50, request.signal)
      sent = Math.min(size, sent + step)
      request.onProgress?.(sent)
    }
    await sleep(5, request.signal) // the answer's way back
  }

  #part(session: Session, request: TransportRequest): TransportResponse {
    if (session.completed) return refuse(410, 'This upload URL was already used: upload again')
    const raw = request.headers['X-Upload-Index'] ?? ''
    if (!/^(0|[1-9]\d*)$/.test(raw)) return refuse(400, 'X-Upload-Index must be a whole number')
    const index = Number(raw)
    const etag = `"${index}-${++this.#serial}"`
    session.parts.set(index, { blob: request.body as Blob, etag })
    return reply(200, { data: { index, etag } })
  }

  async #complete(session: Session, body: string): Promise<TransportResponse> {
    let parts: Array<{ index: number; etag: string }>
    try {
      parts = (JSON.parse(body) as { parts: typeof parts }).parts
      if (!Array.isArray(parts)) throw new Error()
    } catch {
      return refuse(400, 'Send the parts as {"parts": [ … ]}')
    }
    const list = JSON.stringify(parts)
    if (session.completed) {
      return session.completed.parts === list
        ? reply(200, { data: session.completed.media })
        : refuse(409, 'This upload was completed with other parts')
    }
    const blobs: Blob[] = []
    for (const [position, part] of parts.entries()) {
      const held = session.parts.get(position)
      if (part.index !== position || !held || held.etag !== part.etag) {
        return refuse(400, `Part ${position} is missing, or its etag is not the one stored`)
      }
      blobs.push(held.blob)
    }
    if (parts.length !== session.parts.size) return refuse(400, 'Parts are missing from the list')
    const file = new Blob(blobs, { type: session.type })
    const media = await mediaOf(`med_${++this.#serial}`, file, session.filename)
    session.completed = { parts: list, media }
    return reply(200, { data: media })
  }

  async #simple(session: Session, form: FormData): Promise<TransportResponse> {
    const file = form.get('file')
    if (!(file instanceof Blob)) return refuse(400, 'Send the file in a field named "file"')
    const media = await mediaOf(`med_${++this.#serial}`, file, session.filename)
    session.completed = { parts: '', media }
    return reply(200, { data: media })
  }
}
