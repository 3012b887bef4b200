import { UploadError } from './errors.ts'
import type { ResolvedOptions } from './options.ts'
import { type Part, partSize, planParts } from './plan.ts'
import { Progress } from './progress.ts'
import { httpError, readMedia, readPartReceipt } from './protocol.ts'
import { backoffDelay, classifyStatus, parseRetryAfter } from './retry.ts'
import { TransportFailure, type TransportRequest, type TransportResponse } from './transport.ts'
import type { Media } from './types.ts'
import { toUploadError } from './upload-error.ts'

/** The completion's slot in the retry bookkeeping: it retries like a part, but is not one. */
const COMPLETION = -1
/** The upload URL itself was refused: expired, spent, forged or unknown. */
export const URL_REFUSED: ReadonlySet<number> = new Set([403, 404, 410])

/** What the sender tells the upload that owns it. */
export interface SenderHost {
  readonly options: ResolvedOptions
  /** False while paused, offline or finished: nothing may be sent then. */
  mayContinue(): boolean
  /** Bytes moved or a part was acknowledged. */
  progressed(): void
  /** A part was acknowledged: the resume record should be saved. */
  acknowledged(): void
  /** At least one part (or the completion) waits out a backoff, or none does any more. */
  retrying(waiting: boolean): void
  completing(): void
  succeeded(media: Media): void
  failed(error: UploadError): void
  /** The URL was refused before it ever answered: true when the host starts over elsewhere. */
  staleUrl(status: number): boolean
  /** A request failed and the browser says it is offline: hold everything. */
  offline(): void
}

/**
 * Sends one file to one upload URL: the part queue, the parts in flight, their retries, and the
 * completion. A fresh session gets a fresh sender, so nothing of a dead URL leaks into the next.
 */
export class PartSender {
  readonly parts: readonly Part[]
  readonly progress: Progress
  readonly etags: Map<number, string>
  #confirmed: boolean
  #queue: number[]
  readonly #inFlight = new Map<number, AbortController>()
  readonly #waiting = new Map<number, ReturnType<typeof setTimeout>>()
  readonly #failures = new Map<number, number>()
  #completion: AbortController | null = null

  /**
   * `etags`: parts a stored record says are on the server. With `confirmed` false, they count
   * only once the URL answers: a dead record must never show as progress.
   */
  constructor(
    private readonly host: SenderHost,
    private readonly file: Blob,
    private readonly url: string,
    readonly chunkSize: number,
    etags: ReadonlyMap<number, string>,
    confirmed: boolean,
  ) {
    const simple = host.options.mode === 'simple'
    this.parts = simple ? [{ index: 0, start: 0, end: file.size }] : planParts(file.size, chunkSize)
    this.progress = new Progress(this.parts.map(partSize))
    this.etags = new Map([...etags].filter(([i]) => i < this.parts.length))
    this.#confirmed = confirmed
    if (confirmed) for (const i of this.etags.keys()) this.progress.acknowledge(i)
    this.#queue = this.parts.filter((p) => !this.etags.has(p.index)).map((p) => p.index)
  }

  /** Fills the free slots with parts; completes when every part is acknowledged. */
  pump(): void {
    if (!this.host.mayContinue()) return
    const { concurrency } = this.host.options
    while (this.#inFlight.size < concurrency && this.#queue.length > 0) {
      void this.#send(this.#queue.shift() as number)
    }
    const idle = this.#inFlight.size === 0 && this.#waiting.size === 0 && this.#queue.length === 0
    if (idle && this.etags.size === this.parts.length && !this.#completion) void this.#complete()
  }

  /** Aborts what is in flight and every backoff; the parts go back to the queue's front. */
  interrupt(): void {
    const held = [...this.#inFlight.keys(), ...this.#waiting.keys()].filter((i) => i >= 0)
    for (const controller of this.#inFlight.values()) controller.abort()
    for (const timer of this.#waiting.values()) clearTimeout(timer)
    this.#inFlight.clear()
    this.#waiting.clear()
    this.#completion?.abort()
    this.#completion = null
    this.#queue = [...held.sort((a, b) => a - b), ...this.#queue.filter((i) => !held.includes(i))]
  }

  /** After an error: every part not acknowledged gets a fresh budget of attempts. */
  rearm(): void {
    this.#failures.clear()
  }

  #request(index: number, signal: AbortSignal): TransportRequest {
    const { headers, mode, stallTimeoutMs } = this.host.options
    const part = this.parts[index] as Part
    const onProgress = (loaded: number): void => {
      this.progress.sent(index, loaded)
      this.host.progressed()
    }
    const base = { url: this.url, signal, stallTimeoutMs, onProgress }
    if (mode === 'simple') {
      const form = new FormData()
      form.append('file', this.file, (this.file as Partial<File>).name ?? 'blob')
      return { ...base, method: 'POST', headers: { ...headers }, body: form }
    }
    return {
      ...base,
      method: 'PUT',
      headers: {
        ...headers,
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
    const response = await this.#attempt(this.#request(index, controller.signal), index)
    if (this.#inFlight.get(index) !== controller) return // interrupted: pause, cancel, offline
    this.#inFlight.delete(index)
    if (response) this.#onPart(index, response)
  }

  /** One request; null when it failed (already handled) or was aborted on purpose. */
  async #attempt(request: TransportRequest, index: number): Promise<TransportResponse | null> {
    try {
      const response = await this.host.options.transport(request)
      if (request.signal.aborted || !this.host.mayContinue()) return null
      if (response.status >= 200 && response.status < 300) return response
      this.#onFailure(index, response, null)
    } catch (error) {
      if (request.signal.aborted) return null
      if (error instanceof TransportFailure && error.reason === 'aborted') return null
      if (await this.#unreadable(index)) {
        this.host.failed(
          new UploadError(
            'file_unreadable',
            'The file could not be read any more: it was moved, changed or deleted while uploading',
            { cause: error },
          ),
        )
        return null
      }
      this.#onFailure(index, null, error)
    }
    return null
  }

  /**
   * A request that failed without an answer may have failed on our side: Chromium reports a
   * part whose file was deleted or changed on disk as a plain network error. One byte read
   * tells the two apart, and only after a failure, so it costs nothing on the happy path.
   */
  async #unreadable(index: number): Promise<boolean> {
    const part = this.parts[index] ?? this.parts[0]
    if (!part || part.end === part.start) return false
    try {
      await this.file.slice(part.start, part.start + 1).arrayBuffer()
      return false
    } catch {
      return true
    }
  }

  #onPart(index: number, response: TransportResponse): void {
    try {
      if (this.host.options.mode === 'simple') {
        this.progress.acknowledge(0)
        this.host.succeeded(readMedia(response, 'the upload'))
        return
      }
      const receipt = readPartReceipt(response, index)
      this.#confirm()
      this.etags.set(index, receipt.etag)
      this.progress.acknowledge(index)
    } catch (error) {
      this.host.failed(toUploadError(error))
      return
    }
    this.host.acknowledged()
    this.host.progressed()
    this.pump()
  }

  /** The URL answered: the parts its record lists really are on the server. */
  #confirm(): void {
    if (this.#confirmed) return
    this.#confirmed = true
    for (const i of this.etags.keys()) this.progress.acknowledge(i)
  }

  async #complete(): Promise<void> {
    const controller = new AbortController()
    this.#completion = controller
    this.host.completing()
    const parts = this.parts.map((p) => ({ index: p.index, etag: this.etags.get(p.index) }))
    const response = await this.#attempt(
      {
        method: 'POST',
        url: this.url,
        headers: { ...this.host.options.headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ parts }),
        signal: controller.signal,
        stallTimeoutMs: this.host.options.stallTimeoutMs,
      },
      COMPLETION,
    )
    if (!response || this.#completion !== controller) return
    try {
      this.host.succeeded(readMedia(response, 'the completion of the upload'))
    } catch (error) {
      this.host.failed(toUploadError(error))
    }
  }

  #what(index: number): string {
    if (index === COMPLETION) return 'the completion of the upload'
    return this.host.options.mode === 'simple' ? 'the upload' : `part ${index}`
  }

  #onFailure(index: number, response: TransportResponse | null, cause: unknown): void {
    const status = response?.status ?? 0
    if (response && classifyStatus(status) === 'fatal') {
      if (!this.#confirmed && URL_REFUSED.has(status) && this.host.staleUrl(status)) return
      this.host.failed(httpError(response, this.#what(index)))
      return
    }
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      // Offline is not the server's fault: hold the part without spending an attempt.
      this.#requeue(index)
      this.host.offline()
      return
    }
    const { maxAttempts, retryBaseDelayMs, retryMaxDelayMs, random, now } = this.host.options
    const failures = (this.#failures.get(index) ?? 0) + 1
    this.#failures.set(index, failures)
    if (failures >= maxAttempts) {
      this.host.failed(
        response
          ? httpError(response, this.#what(index))
          : toUploadError(
              cause,
              'network_error',
              `Could not send ${this.#what(index)} after ${failures} attempts`,
            ),
      )
      return
    }
    const policy = { baseDelayMs: retryBaseDelayMs, maxDelayMs: retryMaxDelayMs }
    const delay =
      parseRetryAfter(response?.retryAfter ?? null, now()) ??
      backoffDelay(failures - 1, policy, random)
    const timer = setTimeout(() => {
      this.#waiting.delete(index)
      this.#requeue(index)
      if (this.#waiting.size === 0) this.host.retrying(false)
      this.pump()
    }, delay)
    this.#waiting.set(index, timer)
    this.host.retrying(true)
  }

  #requeue(index: number): void {
    if (index === COMPLETION) this.#completion = null
    else this.#queue.unshift(index)
  }
}
