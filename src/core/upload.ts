import type { ConditionNode } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { Notifier } from './notifier.ts'
import { type ResolvedOptions, resolveOptions, type UploadOptions } from './options.ts'
import { SpeedMeter } from './progress.ts'
import { resumeKey } from './resume-store.ts'
import { PartSender, URL_REFUSED } from './sender.ts'
import { checkConditions, conditionsError, parseAll, resolveSession } from './session.ts'
import type { Media, UploadSnapshot, UploadStatus } from './types.ts'
import { toUploadError } from './upload-error.ts'

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

/** Statuses in which bytes may move, and which pause() and going offline interrupt. */
const SENDING: ReadonlySet<UploadStatus> = new Set(['uploading', 'retrying', 'completing'])
const FINAL: ReadonlySet<UploadStatus> = new Set(['success', 'cancelled'])

/** Creates an upload of `file`; nothing happens until `start()`. */
export function createUpload(file: Blob, options: UploadOptions): Upload {
  return new UploadEngine(file, options)
}

class UploadEngine implements Upload {
  readonly file: Blob
  #raw: UploadOptions
  options: ResolvedOptions
  #status: UploadStatus = 'idle'
  #error: UploadError | null = null
  #result: Media | null = null
  #snapshot: UploadSnapshot
  readonly #notifier: Notifier
  readonly #speed = new SpeedMeter()
  #shownBytes = 0
  #promise: Promise<Media> | null = null
  #settle: { resolve: (m: Media) => void; reject: (e: UploadError) => void } | null = null
  #sender: PartSender | null = null
  #url: string | null = null
  #expires = 0
  #resumed = false
  #freshSessionTaken = false
  /** False when another tab uploads the same file: its record is not ours to read or write. */
  #ownsRecord = true
  #releaseRecord: (() => void) | null = null

  constructor(file: Blob, options: UploadOptions) {
    this.file = file
    this.#raw = options
    this.options = resolveOptions(options)
    this.#notifier = new Notifier(() => {
      this.#snapshot = this.#makeSnapshot()
    })
    this.#snapshot = this.#makeSnapshot()
  }

  getSnapshot = (): UploadSnapshot => this.#snapshot
  subscribe = (listener: () => void): (() => void) => this.#notifier.subscribe(listener)

  setOptions(options: Partial<UploadOptions>): void {
    this.#raw = { ...this.#raw, ...options }
    // A running sender keeps the part size it planned with; everything else applies from now on.
    this.options = resolveOptions(this.#raw)
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
    this.#promise = this.#newPromise()
    if (!this.#sender || urlRefused) {
      // No parts yet, or the URL is dead (expired, spent): only a new session can go on.
      this.#sender = null
      void this.#prepare()
    } else {
      this.#sender.rearm()
      this.#setStatus('uploading')
      this.#sender.pump()
    }
    return this.#promise
  }

  pause(): void {
    if (this.#status === 'checking' || this.#status === 'offline' || SENDING.has(this.#status)) {
      this.#sender?.interrupt()
      this.#setStatus('paused')
    }
  }

  resume(): void {
    if (this.#status !== 'paused') return
    this.#speed.restart()
    // Paused while checking: #prepare() is still running and goes on by itself.
    this.#setStatus(this.#sender ? 'uploading' : 'checking')
    this.#sender?.pump()
  }

  cancel(): void {
    if (FINAL.has(this.#status)) return
    this.#sender?.interrupt()
    this.#forgetRecord()
    const pending = this.#settle !== null
    this.#setStatus('cancelled')
    this.#letGoOfRecord()
    this.#stopListening()
    if (pending) this.#rejectWith(new UploadError('cancelled', 'The upload was cancelled'))
  }

  // ---- preparation: resume record, session, conditions ----------------------------------

  async #prepare(): Promise<void> {
    this.#setStatus('checking')
    this.#listenOnline()
    try {
      const fromOptions = await parseAll([this.options.conditions])
      if (fromOptions) await this.#check(fromOptions)
      this.#ownsRecord = await this.#claimRecord()
      if (!this.#takeRecord()) await this.#openSession()
    } catch (error) {
      this.#fail(toUploadError(error))
    }
  }

  async #check(node: ConditionNode): Promise<void> {
    const failures = await checkConditions(this.file, node)
    if (failures.length > 0) throw conditionsError(this.file, failures)
  }

  async #openSession(): Promise<void> {
    const { url, sessionTimeoutMs, chunkSize, now } = this.options
    const session = await resolveSession(url, this.file, sessionTimeoutMs)
    const fromSession = await parseAll([session.conditions])
    if (fromSession) await this.#check(fromSession)
    this.#url = session.url
    this.#expires = session.expires ?? now() + 24 * 3600_000
    this.#begin(new PartSender(this, this.file, session.url, chunkSize, new Map(), true))
  }

  /** Continues from a stored record when one matches this file and endpoint. */
  #takeRecord(): boolean {
    const { store, mode } = this.options
    const record = mode === 'resumable' && this.#ownsRecord ? store?.get(this.#recordKey()) : null
    if (!record) return false
    this.#url = record.url
    this.#resumed = true
    this.#expires = record.expires
    const etags = new Map(Object.entries(record.parts).map(([i, etag]) => [Number(i), etag]))
    this.#begin(new PartSender(this, this.file, record.url, record.chunkSize, etags, false))
    return true
  }

  #begin(sender: PartSender): void {
    if (FINAL.has(this.#status)) return
    this.#sender = sender
    if (this.#status === 'paused') return
    this.#setStatus('uploading')
    sender.pump()
  }

  // ---- SenderHost: what the sender reports ----------------------------------------------

  mayContinue(): boolean {
    if (!SENDING.has(this.#status)) return false
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      this.offline()
      return false
    }
    return true
  }

  progressed(): void {
    if (this.#sender) this.#speed.sample(this.#sender.progress.uploaded, this.options.now())
    this.#notifier.soon()
  }

  acknowledged(): void {
    const { store } = this.options
    if (!store || !this.#ownsRecord || !this.#sender || this.#url === null) return
    if (this.options.mode !== 'resumable') return
    store.set(this.#recordKey(), {
      url: this.#url,
      chunkSize: this.#sender.chunkSize,
      parts: Object.fromEntries(this.#sender.etags),
      expires: this.#expires,
    })
  }

  retrying(waiting: boolean): void {
    if (waiting && this.#status === 'uploading') this.#setStatus('retrying')
    if (!waiting && this.#status === 'retrying') this.#setStatus('uploading')
  }

  completing(): void {
    this.#setStatus('completing')
  }

  succeeded(media: Media): void {
    if (FINAL.has(this.#status)) return
    this.#result = media
    this.#forgetRecord()
    this.#letGoOfRecord()
    this.#stopListening()
    this.#setStatus('success')
    this.#settle?.resolve(media)
    this.#settle = null
  }

  failed(error: UploadError): void {
    this.#fail(error)
  }

  staleUrl(): boolean {
    if (this.#freshSessionTaken) return false
    // The stored URL was refused before it ever answered: one new session, from the first byte.
    this.#freshSessionTaken = true
    this.#sender?.interrupt()
    this.#sender = null
    this.#forgetRecord()
    this.#resumed = false
    this.#openSession().catch((error: unknown) => this.#fail(toUploadError(error)))
    return true
  }

  offline(): void {
    if (this.#status === 'offline') return
    this.#sender?.interrupt()
    this.#setStatus('offline')
  }

  #onOnline = (): void => {
    if (this.#status !== 'offline') return
    this.#speed.restart()
    this.#setStatus('uploading')
    this.#sender?.pump()
  }

  #onOffline = (): void => {
    if (SENDING.has(this.#status)) this.offline()
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

  // ---- endings --------------------------------------------------------------------------

  #fail(error: UploadError): void {
    if (FINAL.has(this.#status) || this.#status === 'error') return
    this.#sender?.interrupt()
    if (URL_REFUSED.has(error.status ?? 0)) this.#forgetRecord()
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

  #recordKey(): string {
    return resumeKey(this.file, this.options.endpoint)
  }

  #forgetRecord(): void {
    if (this.#ownsRecord) this.options.store?.remove(this.#recordKey())
  }

  /**
   * Two tabs uploading the same file to the same endpoint must not share one record: both
   * would send to one URL and the second completion would find it spent. A Web Lock per record
   * key decides; the tab that does not get it uploads on a session of its own, without a record.
   * https://developer.mozilla.org/docs/Web/API/Web_Locks_API
   */
  #claimRecord(): Promise<boolean> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks
    if (!locks || !this.options.store || this.#releaseRecord) return Promise.resolve(true)
    return new Promise((resolve) => {
      locks
        .request(`partwise:${this.#recordKey()}`, { ifAvailable: true }, (lock) => {
          if (!lock) return resolve(false)
          resolve(true)
          return new Promise<void>((release) => {
            this.#releaseRecord = release
          })
        })
        .catch(() => resolve(true))
    })
  }

  #letGoOfRecord(): void {
    this.#releaseRecord?.()
    this.#releaseRecord = null
  }

  // ---- state and snapshots --------------------------------------------------------------

  #setStatus(status: UploadStatus): void {
    if (this.#status === status) return
    this.#status = status
    this.#notifier.now()
  }

  #makeSnapshot(): UploadSnapshot {
    const progress = this.#sender?.progress
    // Never shown going down, not even when a dead record gives way to a fresh session.
    this.#shownBytes = Math.max(this.#shownBytes, progress?.uploaded ?? 0)
    const total = this.file.size
    const uploaded = this.#shownBytes
    const speed = this.#speed.speed
    return {
      status: this.#status,
      file: this.file,
      bytesUploaded: uploaded,
      bytesTotal: total,
      progress: total === 0 ? (progress?.complete ? 1 : 0) : uploaded / total,
      speed,
      timeRemaining: speed > 0 ? (total - uploaded) / speed : null,
      partsTotal: this.#sender?.parts.length ?? 0,
      partsAcknowledged: progress?.acknowledgedCount ?? 0,
      resumed: this.#resumed,
      error: this.#error,
      result: this.#result,
    }
  }
}
