import { createUpload, type Upload, type UploadSnapshot } from '../core/index.ts'
import { isActive, isEnded } from '../core/status.ts'
import { sourceOf } from './browse.ts'
import { frameThrottle } from './frame-throttle.ts'
import { type Controls, EMPTY, type Entry, resultOf, summarise } from './queue-summary.ts'
import type { QueueActions, QueueState, UploadQueueOptions } from './queue-types.ts'
import { UploadStore } from './upload-store.ts'

/**
 * Many uploads, a few at a time: the store behind `useUploadQueue` and `<Upload multiple>`.
 * Each file gets its own core upload; the queue starts them as places free up, reports each
 * ending, and publishes one snapshot (items and totals) at most about once a frame, however many
 * files are moving. Knows nothing of React.
 */
export class UploadQueue extends UploadStore<QueueState, UploadQueueOptions, QueueActions> {
  #entries: Entry[] = []
  #nextId = 0
  #state: QueueState = EMPTY
  /** Something started since the last `onComplete`. */
  #busy = false
  #pumping = false

  constructor(options: UploadQueueOptions) {
    super(options, EMPTY)
  }

  getSnapshot = (): QueueState => this.#state

  override setOptions(options: UploadQueueOptions): void {
    super.setOptions(options)
    this.#pump() // `parallelFiles` may have grown
  }

  readonly actions: QueueActions = {
    add: (files) => {
      const max = this.options.maxFiles ?? Number.POSITIVE_INFINITY
      const refused: Blob[] = []
      const added: Entry[] = []
      for (const file of files) {
        if (this.#entries.length >= max) refused.push(file)
        else added.push(this.#add(file))
      }
      if (added.length === 0) return refused
      this.#busy = true
      this.#pump()
      this.#emit(true)
      return refused
    },
    adopt: (upload) => {
      this.#attach(upload)
      this.#busy = true
      this.#emit(true)
    },
    remove: (id) => {
      const entry = this.#find(id)
      if (!entry) return
      this.#drop(entry)
      this.#entries = this.#entries.filter((e) => e !== entry)
      this.#pump()
      this.#checkComplete()
      this.#emit(true)
    },
    clear: () => {
      for (const entry of this.#entries) this.#drop(entry)
      this.#entries = []
      this.#busy = false
      this.#emit(true)
    },
    pauseAll: () => {
      for (const entry of this.#entries) entry.upload.pause()
    },
    resumeAll: () => {
      for (const entry of this.#entries) entry.upload.resume()
    },
    cancelAll: () => {
      for (const entry of this.#entries) entry.controls.cancel()
    },
  }

  protected uploads(): Upload[] {
    return this.#entries.map((e) => e.upload)
  }

  #add(file: Blob): Entry {
    // Throws for options the core refuses (a chunk size of 0): a programming error, shown at once.
    // A picked or dropped file's handle goes in its place: the core keeps it for a reload (#16).
    const source = sourceOf(file)
    return this.#attach(createUpload(source, this.core), source === file ? null : file)
  }

  #attach(upload: Upload, file: Blob | null = null): Entry {
    const id = String(++this.#nextId)
    const controls: Controls = {
      pause: () => upload.pause(),
      resume: () => upload.resume(),
      cancel: () => {
        const entry = this.#find(id)
        if (entry) entry.queued = false
        upload.cancel()
      },
      retry: () => this.#retry(id),
      remove: () => this.actions.remove(id),
    }
    const seen = upload.getSnapshot()
    const entry: Entry = {
      id,
      upload,
      controls,
      file,
      queued: seen.status === 'idle',
      seen,
      unsubscribe: () => undefined,
      made: null,
    }
    entry.unsubscribe = upload.subscribe(() => this.#changed(entry))
    this.#entries.push(entry)
    return entry
  }

  #drop(entry: Entry): void {
    entry.unsubscribe()
    entry.upload.cancel()
  }

  #find(id: string): Entry | undefined {
    return this.#entries.find((e) => e.id === id)
  }

  #retry(id: string): void {
    const entry = this.#find(id)
    if (entry?.seen.status !== 'error') return
    entry.queued = true
    this.#pump()
    this.#emit(true)
  }

  #changed(entry: Entry): void {
    const snapshot = entry.upload.getSnapshot()
    const previous = entry.seen
    if (snapshot === previous) return
    entry.seen = snapshot
    if (snapshot.bytesUploaded !== previous.bytesUploaded) {
      this.#call(() => this.options.onProgress?.(snapshot, snapshot.file))
    }
    const moved = snapshot.status !== previous.status
    if (moved) {
      if (isEnded(snapshot.status)) this.#report(snapshot)
      this.#pump()
      this.#checkComplete()
    }
    this.#emit(moved)
  }

  /** Starts queued files while places are free. */
  #pump(): void {
    // Starting an upload notifies at once, which lands back here: one pass at a time.
    if (this.#pumping) return
    this.#pumping = true
    const limit = Math.max(1, this.options.parallelFiles ?? 3)
    let holding = this.#entries.filter((e) => !e.queued && isActive(e.seen.status)).length
    for (const entry of this.#entries) {
      if (holding >= limit) break
      if (!entry.queued) continue
      entry.queued = false
      holding++
      this.#busy = true
      void entry.upload.start()
    }
    this.#pumping = false
  }

  #report(snapshot: UploadSnapshot): void {
    const result = resultOf(snapshot)
    this.#call(() => {
      const { onSuccess, onError, onFileResult } = this.options
      if (snapshot.result && result.status === 'success') onSuccess?.(snapshot.result, result.file)
      if (snapshot.error && result.status === 'error') onError?.(snapshot.error, result.file)
      onFileResult?.(result)
    })
  }

  #checkComplete(): void {
    if (!this.#busy || this.#entries.some((e) => e.queued || isActive(e.seen.status))) {
      return
    }
    this.#busy = false
    const results = this.#entries.filter((e) => isEnded(e.seen.status)).map((e) => resultOf(e.seen))
    this.#call(() => this.options.onComplete?.(results))
  }

  /**
   * App callbacks run in a microtask: called from inside the core's notification, a callback
   * that throws would break the upload's own bookkeeping; here it is only reported.
   */
  #call(callback: () => void): void {
    queueMicrotask(callback)
  }

  readonly #emit = frameThrottle(() => {
    this.#state = summarise(this.#entries)
    this.notify()
  })
}
