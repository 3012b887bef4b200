import type { ConditionNode } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { Notifier } from './notifier.ts'
import { type ResolvedOptions, resolveOptions, type UploadOptions } from './options.ts'
import { type Part, partSize, planParts } from './plan.ts'
import { Progress, SpeedMeter } from './progress.ts'
import { httpError, type PartReceipt, readMedia, readPartReceipt } from './protocol.ts'
import { resumeKey } from './resume-store.ts'
import { backoffDelay, classifyStatus, parseRetryAfter } from './retry.ts'
import { checkConditions, conditionsError, parseAll, resolveSession } from './session.ts'
import { TransportFailure, type TransportRequest, type TransportResponse } from './transport.ts'
import type { Media, UploadSnapshot, UploadStatus } from './types.ts'

export interface Upload {
  readonly file: Blob
  /** Checks the conditions, sends the file, completes it; resolves with the media object. */
  start(): Promise<Media>
  /** Aborts the parts in flight at once; nothing is sent until `resume()`. */
  pause(): void
  resume(): void
  /** Stops everything, rejects `start()` with `cancelled`, and forgets the resume record. */
  cancel(): void
  /** After an error: goes on from the acknowledged parts. Elsewhere the same as `start()`. */
  retry(): Promise<Media>
  subscribe(listener: () => void): () => void
  getSnapshot(): UploadSnapshot
  /** New options for what has not started yet (a new `url` function, new conditions…). */
  setOptions(options: Partial<UploadOptions>): void
}

/** Statuses in which bytes may be moving, and which pause() and going offline interrupt. */
const ACTIVE: ReadonlySet<UploadStatus> = new Set(['uploading', 'retrying', 'offline'])
const FINAL: ReadonlySet<UploadStatus> = new Set(['success', 'cancelled'])
/** The upload URL itself was refused: expired, spent, forged or unknown. */
const URL_REFUSED = new Set([403, 404, 410])

/** Creates an upload of `file`; nothing happens until `start()`. */
export function createUpload(file: Blob, options: UploadOptions): Upload {
  return new UploadEngine(file, options)
}

class UploadEngine implements Upload {
  readonly file: Blob
  #raw: UploadOptions
  #o: ResolvedOptions
  #status: UploadStatus = 'idle'
  #error: UploadError | null = null
  #result: Media | null = null
  #snapshot: UploadSnapshot
  readonly #notifier: Notifier
  readonly #speed = new SpeedMeter()
  #publishedBytes = 0

  #promise: Promise<Media> | null = null
  #settle: { resolve: (m: Media) => void; reject: (e: UploadError) => void } | null = null

  #url: string | null = null
  #urlConfirmed = false
  #freshSessionTaken = false
  #resumed = false
  #expires = 0
  #chunkSize: number
  #parts: Part[] = []
  #progress: Progress
  #etags = new Map<number, string>()
  /** Parts the stored record says are done, counted once the stored URL proves alive. */
  #stored: number[] = []
  #queue: number[] = []
  readonly #inFlight = new Map<number, AbortController>()
  readonly #waiting = new Map<number, ReturnType<typeof setTimeout>>()
  readonly #failures = new Map<number, number>()
  #completing: AbortController | null = null
  #prepared = false

  constructor(file: Blob, options: UploadOptions) {
    this.file = file
    this.#raw = options
    this.#o = resolveOptions(options)
    this.#chunkSize = this.#o.chunkSize
    this.#progress = new Progress([file.size])
    this.#notifier = new Notifier(() => {
      this.#snapshot = this.#makeSnapshot()
    })
    this.#snapshot = this.#makeSnapshot()
  }

  // ---- public surface -------------------------------------------------------------------

  getSnapshot = (): UploadSnapshot => this.#snapshot
  subscribe = (listener: () => void): (() => void) => this.#notifier.subscribe(listener)

  setOptions(options: Partial<UploadOptions>): void {
    this.#raw = { ...this.#raw, ...options }
    const next = resolveOptions(this.#raw)
    // A running upload keeps the part size it planned with; the rest applies from now on.
    this.#o = next
  }

  start(): Promise<Media> {
    if (this.#status === 'error') return this.retry()
    if (this.#promise) return this.#promise
    this.#promise = this.#newPromise()
    void this.#prepare()
    return this.#promise
  }

  retry(): Promise<Media> {
    if (this.#status !== 'error') return this.start()
    const urlRefused = URL_REFUSED.has(this.#error?.status ?? 0)
    this.#error = null
    this.#failures.clear()
    this.#promise = this.#newPromise()
    if (!this.#prepared || urlRefused) {
      // The URL is dead (expired, spent): only a new session can go on, from the first byte.
      this.#prepared = false
      this.#url = null
      this.#etags.clear()
      this.#stored = []
      void this.#prepare()
    } else {
      this.#queue = this.#parts.filter((p) => !this.#etags.has(p.index)).map((p) => p.index)
      this.#setStatus('uploading')
      this.#pump()
    }
    return this.#promise
  }

  pause(): void {
    if (this.#status === 'checking' || ACTIVE.has(this.#status)) {
      this.#interrupt()
      this.#setStatus('paused')
    }
  }

  resume(): void {
    if (this.#status !== 'paused') return
    this.#speed.restart()
    if (!this.#prepared) {
      // Paused while checking: #prepare() is still running and will go on by itself.
      this.#setStatus('checking')
      return
    }
    this.#setStatus(this.#progress.complete ? 'completing' : 'uploading')
    this.#pump()
  }

  cancel(): void {
    if (FINAL.has(this.#status)) return
    this.#interrupt()
    this.#completing?.abort()
    this.#forgetRecord()
    const wasRunning = this.#status !== 'error' && this.#status !== 'idle'
    this.#setStatus('cancelled')
    this.#stopListening()
    if (wasRunning) this.#rejectWith(new UploadError('cancelled', 'The upload was cancelled'))
  }

  // ---- preparation: resume record, session, conditions ----------------------------------

  async #prepare(): Promise<void> {
    this.#setStatus('checking')
    this.#listenOnline()
    try {
      const fromOptions = await parseAll([this.#o.conditions])
      if (fromOptions) await this.#check(fromOptions)
      if (!this.#takeRecord()) await this.#openSession()
      if (this.#isOver()) return
      this.#plan()
      this.#prepared = true
      if (this.#status === 'paused') return
      this.#setStatus('uploading')
      this.#pump()
    } catch (error) {
      this.#fail(toUploadError(error))
    }
  }

  async #check(node: ConditionNode): Promise<void> {
    const failures = await checkConditions(this.file, node)
    if (failures.length > 0) throw conditionsError(this.file, failures)
  }

  async #openSession(): Promise<void> {
    const session = await resolveSession(this.#o.url, this.file, this.#o.sessionTimeoutMs)
    const fromSession = await parseAll([session.conditions])
    if (fromSession) await this.#check(fromSession)
    this.#url = session.url
    this.#urlConfirmed = true
    this.#expires = session.expires ?? this.#o.now() + 24 * 3600_000
    this.#chunkSize = this.#o.chunkSize
  }

  /** Continues from a stored record when one matches this file and endpoint. */
  #takeRecord(): boolean {
    if (!this.#o.store || this.#o.mode !== 'resumable') return false
    const record = this.#o.store.get(this.#recordKey())
    if (!record) return false
    this.#url = record.url
    this.#urlConfirmed = false
    this.#resumed = true
    this.#expires = record.expires
    this.#chunkSize = record.chunkSize
    for (const [index, etag] of Object.entries(record.parts)) this.#etags.set(Number(index), etag)
    return true
  }

  #plan(): void {
    if (this.#o.mode === 'simple') {
      this.#parts = [{ index: 0, start: 0, end: this.file.size }]
    } else {
      this.#parts = planParts(this.file.size, this.#chunkSize)
    }
    this.#progress = new Progress(this.#parts.map(partSize))
    this.#stored = [...this.#etags.keys()].filter((i) => i < this.#parts.length)
    if (this.#urlConfirmed) for (const i of this.#stored) this.#progress.acknowledge(i)
    this.#queue = this.#parts.filter((p) => !this.#etags.has(p.index)).map((p) => p.index)
  }

  // ---- sending --------------------------------------------------------------------------

  /** Fills the free slots with parts; completes when every part is acknowledged. */
  #pump(): void {
    if (!ACTIVE.has(this.#status) && this.#status !== 'completing') return
    if (this.#status === 'offline') return
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.#goOffline()
      return
    }
    while (this.#inFlight.size < this.#o.concurrency && this.#queue.length > 0) {
      const index = this.#queue.shift() as number
      void this.#send(index)
    }
    const idle = this.#inFlight.size === 0 && this.#waiting.size === 0 && this.#queue.length === 0
    if (idle && this.#parts.every((p) => this.#etags.has(p.index)) && !this.#completing) {
      void this.#complete()
    }
  }

  #request(index: number, signal: AbortSignal): TransportRequest {
    const part = this.#parts[index] as Part
    const onProgress = (loaded: number): void => {
      this.#progress.sent(index, loaded)
      this.#bytesMoved()
    }
    const base = {
      url: this.#url as string,
      signal,
      stallTimeoutMs: this.#o.stallTimeoutMs,
      onProgress,
    }
    if (this.#o.mode === 'simple') {
      const form = new FormData()
      form.append('file', this.file, (this.file as Partial<File>).name ?? 'blob')
      return { ...base, method: 'POST', headers: { ...this.#o.headers }, body: form }
    }
    return {
      ...base,
      method: 'PUT',
      headers: {
        ...this.#o.headers,
        'Content-Type': 'application/octet-stream',
        'X-Upload-Index': String(index),
      },
      // A view, not a copy: the browser reads these bytes from disk as it sends them.
      body: this.file.slice(part.start, part.end),
    }
  }

  async #send(index: number): Promise<void> {
    const controller = new AbortController()
    this.#inFlight.set(index, controller)
    let response: TransportResponse
    try {
      response = await this.#o.transport(this.#request(index, controller.signal))
    } catch (error) {
      if (this.#inFlight.get(index) !== controller) return // aborted by pause, cancel, offline
      this.#inFlight.delete(index)
      if (error instanceof TransportFailure && error.reason === 'aborted') return
      this.#onFailure(index, null, error)
      return
    }
    if (this.#inFlight.get(index) === controller) this.#inFlight.delete(index)
    if (this.#isOver()) return
    if (response.status >= 200 && response.status < 300) {
      this.#onAnswer(index, response)
    } else {
      this.#onFailure(index, response, null)
    }
  }

  #onAnswer(index: number, response: TransportResponse): void {
    if (this.#o.mode === 'simple') {
      this.#succeed(this.#readMedia(response))
      return
    }
    let receipt: PartReceipt
    try {
      receipt = readPartReceipt(response, index)
    } catch (error) {
      this.#fail(toUploadError(error))
      return
    }
    this.#confirmUrl()
    this.#etags.set(index, receipt.etag)
    this.#progress.acknowledge(index)
    this.#saveRecord()
    this.#bytesMoved()
    if (this.#waiting.size === 0 && this.#status === 'retrying') this.#setStatus('uploading')
    this.#pump()
  }

  /** The stored URL answered: the parts its record lists really are on the server. */
  #confirmUrl(): void {
    if (this.#urlConfirmed) return
    this.#urlConfirmed = true
    for (const i of this.#stored) this.#progress.acknowledge(i)
  }

  #onFailure(index: number, response: TransportResponse | null, cause: unknown): void {
    if (this.#isOver()) return
    const status = response?.status ?? 0
    if (response && classifyStatus(status) === 'fatal') {
      if (!this.#urlConfirmed && URL_REFUSED.has(status) && !this.#freshSessionTaken) {
        void this.#startFresh()
        return
      }
      if (URL_REFUSED.has(status)) this.#forgetRecord()
      this.#fail(httpError(response, this.#what(index)))
      return
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      // Offline is not the server's fault: hold the part without spending an attempt.
      this.#queue.unshift(index)
      this.#goOffline()
      return
    }
    const failures = (this.#failures.get(index) ?? 0) + 1
    this.#failures.set(index, failures)
    if (failures >= this.#o.maxAttempts) {
      const error = response
        ? httpError(response, this.#what(index))
        : new UploadError(
            'network_error',
            `Could not send ${this.#what(index)} after ${failures} attempts: ${describe(cause)}`,
            { cause },
          )
      this.#fail(error)
      return
    }
    const retryAfter = parseRetryAfter(response?.retryAfter ?? null, this.#o.now())
    const delay =
      retryAfter ??
      backoffDelay(
        failures - 1,
        { baseDelayMs: this.#o.retryBaseDelayMs, maxDelayMs: this.#o.retryMaxDelayMs },
        this.#o.random,
      )
    this.#waiting.set(
      index,
      setTimeout(() => {
        this.#waiting.delete(index)
        if (index === -1) {
          this.#completing = null
        } else {
          this.#queue.unshift(index)
        }
        if (this.#status === 'retrying' && this.#waiting.size === 0) {
          this.#setStatus(this.#progress.complete ? 'completing' : 'uploading')
        }
        this.#pump()
      }, delay),
    )
    if (this.#status === 'uploading') this.#setStatus('retrying')
  }

  /** The stored URL was refused before it ever answered: start one new session from zero. */
  async #startFresh(): Promise<void> {
    this.#freshSessionTaken = true
    this.#interrupt()
    this.#forgetRecord()
    this.#etags.clear()
    this.#stored = []
    this.#resumed = false
    try {
      await this.#openSession()
      if (this.#isOver()) return
      this.#plan()
      if (this.#status !== 'paused') this.#setStatus('uploading')
      this.#pump()
    } catch (error) {
      this.#fail(toUploadError(error))
    }
  }

  async #complete(): Promise<void> {
    if (this.#o.mode === 'simple') return
    const controller = new AbortController()
    this.#completing = controller
    this.#setStatus('completing')
    const parts = this.#parts.map((p) => ({
      index: p.index,
      etag: this.#etags.get(p.index) as string,
    }))
    let response: TransportResponse
    try {
      response = await this.#o.transport({
        method: 'POST',
        url: this.#url as string,
        headers: { ...this.#o.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ parts }),
        signal: controller.signal,
        stallTimeoutMs: this.#o.stallTimeoutMs,
      })
    } catch (error) {
      if (this.#completing !== controller || this.#isOver()) return
      if (error instanceof TransportFailure && error.reason === 'aborted') return
      this.#onFailure(-1, null, error)
      return
    }
    if (this.#completing !== controller || this.#isOver()) return
    if (response.status >= 200 && response.status < 300) {
      this.#succeed(this.#readMedia(response))
    } else {
      this.#onFailure(-1, response, null)
    }
  }

  // ---- endings and interruptions --------------------------------------------------------

  /** Aborts parts in flight and backoff timers; their parts go back to the queue's front. */
  #interrupt(): void {
    const held = [...this.#inFlight.keys(), ...this.#waiting.keys()].filter((i) => i >= 0)
    for (const controller of this.#inFlight.values()) controller.abort()
    for (const timer of this.#waiting.values()) clearTimeout(timer)
    this.#inFlight.clear()
    this.#waiting.clear()
    if (this.#completing) {
      this.#completing.abort()
      this.#completing = null
    }
    this.#queue = [...held.sort((a, b) => a - b), ...this.#queue.filter((i) => !held.includes(i))]
  }

  #goOffline(): void {
    if (this.#status === 'offline') return
    this.#interrupt()
    this.#setStatus('offline')
  }

  #onOnline = (): void => {
    if (this.#status !== 'offline') return
    this.#speed.restart()
    this.#setStatus(this.#progress.complete ? 'completing' : 'uploading')
    this.#pump()
  }

  #onOffline = (): void => {
    if (ACTIVE.has(this.#status) || this.#status === 'completing') this.#goOffline()
  }

  #listenOnline(): void {
    if (typeof window === 'undefined') return
    window.addEventListener('online', this.#onOnline)
    window.addEventListener('offline', this.#onOffline)
  }

  #stopListening(): void {
    if (typeof window === 'undefined') return
    window.removeEventListener('online', this.#onOnline)
    window.removeEventListener('offline', this.#onOffline)
  }

  /** The media object from a completion, or null after failing with a protocol error. */
  #readMedia(response: TransportResponse): Media | null {
    try {
      return readMedia(response, this.#what(this.#o.mode === 'simple' ? 0 : -1))
    } catch (error) {
      this.#fail(toUploadError(error))
      return null
    }
  }

  #succeed(media: Media | null): void {
    if (!media || this.#isOver()) return
    this.#completing = null
    for (const p of this.#parts) this.#progress.acknowledge(p.index)
    this.#result = media
    this.#forgetRecord()
    this.#stopListening()
    this.#setStatus('success')
    this.#settle?.resolve(media)
  }

  #fail(error: UploadError): void {
    if (this.#isOver() || this.#status === 'error') return
    this.#interrupt()
    this.#error = error
    this.#setStatus('error')
    this.#rejectWith(error)
  }

  #rejectWith(error: UploadError): void {
    const settle = this.#settle
    this.#settle = null
    settle?.reject(error)
  }

  #newPromise(): Promise<Media> {
    const promise = new Promise<Media>((resolve, reject) => {
      this.#settle = { resolve, reject }
    })
    // A caller who only watches the snapshot must not see an unhandled rejection.
    promise.catch(() => undefined)
    return promise
  }

  #isOver(): boolean {
    return FINAL.has(this.#status)
  }

  #what(index: number): string {
    if (index === -1) return 'the completion of the upload'
    return this.#o.mode === 'simple' ? 'the upload' : `part ${index}`
  }

  // ---- resume record --------------------------------------------------------------------

  #recordKey(): string {
    return resumeKey(this.file, this.#o.endpoint)
  }

  #saveRecord(): void {
    if (!this.#o.store || this.#url === null) return
    this.#o.store.set(this.#recordKey(), {
      url: this.#url,
      chunkSize: this.#chunkSize,
      parts: Object.fromEntries(this.#etags),
      expires: this.#expires,
    })
  }

  #forgetRecord(): void {
    this.#o.store?.remove(this.#recordKey())
  }

  // ---- state and snapshots --------------------------------------------------------------

  #setStatus(status: UploadStatus): void {
    if (this.#status === status) return
    this.#status = status
    this.#notifier.now()
  }

  #bytesMoved(): void {
    this.#speed.sample(this.#progress.uploaded, this.#o.now())
    this.#notifier.soon()
  }

  #makeSnapshot(): UploadSnapshot {
    // Clamped so that a fresh session after a refused record never shows progress going back.
    this.#publishedBytes = Math.max(this.#publishedBytes, this.#progress.uploaded)
    const total = this.file.size
    const uploaded = this.#publishedBytes
    const speed = this.#speed.speed
    return {
      status: this.#status,
      file: this.file,
      bytesUploaded: uploaded,
      bytesTotal: total,
      progress: total === 0 ? (this.#status === 'success' ? 1 : 0) : uploaded / total,
      speed,
      timeRemaining: speed > 0 ? (total - uploaded) / speed : null,
      partsTotal: this.#parts.length,
      partsAcknowledged: this.#progress.acknowledgedCount,
      resumed: this.#resumed,
      error: this.#error,
      result: this.#result,
    }
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : 'no response'
}

function toUploadError(error: unknown): UploadError {
  if (error instanceof UploadError) return error
  return new UploadError('protocol_error', describe(error), { cause: error })
}
