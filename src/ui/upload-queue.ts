import { createUpload, type Upload, UploadError, type UploadSnapshot } from '../core/index.ts'
import { isActive, isEnded, isPermanent, isRunning } from '../core/status.ts'
import { sourceOf } from './browse.ts'
import { frameThrottle } from './frame-throttle.ts'
import {
  type Controls,
  EMPTY,
  type Entry,
  isFinished,
  resultOf,
  summarise,
} from './queue-summary.ts'
import type { QueueActions, QueueState, UploadQueueOptions } from './queue-types.ts'
import { Throughput } from './throughput.ts'
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
  readonly #meter = new Throughput()

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
      for (const entry of added) if (!entry.preparing) void this.#precheck(entry)
      this.#emit(true)
      return refused
    },
    adopt: (upload) => {
      this.#enter(upload, null, undefined)
      this.#busy = true
      this.#emit(true)
    },
    remove: (id) => this.#remove((e) => e.id === id),
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
      for (const entry of this.#entries) if (!isEnded(entry.seen.status)) entry.controls.cancel()
    },
    start: () => {
      for (const entry of this.#entries) entry.held = false
      this.#pump()
      this.#emit(true)
    },
    retryAll: () => {
      for (const entry of this.#entries) this.#retry(entry.id)
    },
    clearFinished: () => this.#remove((e) => isFinished(e.seen)),
  }

  protected uploads(): Upload[] {
    return this.#entries.map((e) => e.upload)
  }

  get #manual(): boolean {
    return this.options.autoStart === false
  }

  #add(file: Blob): Entry {
    // Throws for options the core refuses (a chunk size of 0): a programming error, shown at once.
    // A picked or dropped file's handle goes in its place: the core keeps it for a reload (#16).
    const source = sourceOf(file)
    const upload = createUpload(source, this.core)
    return this.#enter(upload, source === file ? null : file, this.options.beforeUpload)
  }

  /** A new entry for `upload` (`file`: the picked file, when the upload was given its handle). */
  #enter(upload: Upload, file: Blob | null, before: UploadQueueOptions['beforeUpload']): Entry {
    const id = String(++this.#nextId)
    const controls: Controls = {
      pause: () => entry.upload.pause(),
      resume: () => entry.upload.resume(),
      cancel: () => {
        entry.queued = false
        entry.upload.cancel()
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
      // A continued upload (`adopt`) comes started: it neither waits nor is held.
      queued: seen.status === 'idle',
      held: seen.status === 'idle' && this.#manual,
      preparing: !!before,
      seen,
      unsubscribe: () => undefined,
      made: null,
    }
    this.#attach(entry)
    this.#entries.push(entry)
    if (before) void this.#prepare(entry, before)
    return entry
  }

  #attach(entry: Entry): void {
    entry.unsubscribe()
    entry.seen = entry.upload.getSnapshot()
    entry.unsubscribe = entry.upload.subscribe(() => this.#changed(entry))
  }

  /** `beforeUpload`'s answer: a renamed file gets a new upload, a veto ends the file here. */
  async #prepare(entry: Entry, before: NonNullable<UploadQueueOptions['beforeUpload']>) {
    // Loaded on first use: a page without the hook never downloads it.
    const { prepare } = await import('./before-upload.ts')
    const prepared = await prepare(before, fileOf(entry))
    entry.preparing = false
    // Removed or cancelled meanwhile: nothing more to do.
    if (!this.#entries.includes(entry) || isEnded(entry.seen.status)) return
    if (prepared instanceof Error) {
      entry.unsubscribe()
      entry.queued = false
      entry.seen = { ...entry.seen, status: 'error', error: prepared }
      this.#report(entry.seen)
      this.#checkComplete()
    } else {
      this.metadata.set(prepared.file, prepared.metadata)
      if (prepared.file !== fileOf(entry)) {
        // A renamed file is a new File over the same bytes: its handle (if any) no longer names it.
        entry.file = null
        entry.upload = createUpload(prepared.file, this.core)
        this.#attach(entry)
      }
      this.#pump()
      void this.#precheck(entry)
    }
    this.#emit(true)
  }

  /**
   * A file that waits (for a place, or for `start()`) is checked against the conditions now, so
   * that a refusal shows at once. A refused one is started: the core checks the same conditions
   * first and fails it with its refusal before asking for a session or sending anything.
   */
  async #precheck(entry: Entry): Promise<void> {
    const { upload } = entry
    const { conditions, conditionMessages } = this.core
    // (A session's `conditions: []` is no rules; an object shape has no length.)
    if (!conditions || (conditions as unknown[]).length === 0 || !entry.queued) return
    try {
      // The core's own lazy chunk (see src/core/lazy.ts): loaded only when there are conditions.
      const { enforce } = await import('../core/lazy.ts')
      await enforce(UploadError, fileOf(entry), conditions, conditionMessages)
    } catch {
      // Only if nothing changed meanwhile: new conditions are checked when the file starts.
      if (entry.queued && entry.upload === upload && this.core.conditions === conditions) {
        entry.queued = false
        void upload.start()
      }
    }
  }

  #remove(which: (entry: Entry) => boolean): void {
    const gone = this.#entries.filter(which)
    if (gone.length === 0) return
    for (const entry of gone) this.#drop(entry)
    this.#entries = this.#entries.filter((e) => !gone.includes(e))
    this.#pump()
    this.#checkComplete()
    this.#emit(true)
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
    // A refusal stays one: the same file would be refused again, and a veto has no upload to run.
    if (entry?.seen.status !== 'error' || isPermanent(entry.seen.error?.code ?? 'cancelled')) {
      return
    }
    entry.queued = true
    this.#pump()
    this.#emit(true)
  }

  #changed(entry: Entry): void {
    const snapshot = entry.upload.getSnapshot()
    const previous = entry.seen
    if (snapshot === previous) return
    entry.seen = snapshot
    const moved = snapshot.bytesUploaded - previous.bytesUploaded
    if (moved > 0) {
      // Parts a resumed file's record listed land all at once when confirmed: not speed.
      if (previous.status !== 'verifying') this.#meter.add(moved, (this.options.now ?? Date.now)())
      this.#call(() => this.options.onProgress?.(snapshot, snapshot.file))
    }
    const turned = snapshot.status !== previous.status
    if (turned) {
      if (isEnded(snapshot.status)) this.#report(snapshot)
      this.#pump()
      this.#checkComplete()
    }
    this.#emit(turned)
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
      if (!entry.queued || entry.preparing || (entry.held && this.#manual)) continue
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
    // A pause is not averaged in: once something runs again, the speed is measured afresh. (Not
    // on `isSending`: the next file is `checking` for a moment, and small files would never
    // show a time left.)
    if (!this.#entries.some((e) => isRunning(e.seen.status))) this.#meter.reset()
    this.#state = summarise(this.#entries, this.#meter.rate(), this.#manual)
    this.notify()
  })
}

/** The file an entry stands for: the picked File, also while its upload holds only the handle. */
const fileOf = (entry: Entry): Blob => entry.file ?? (entry.upload.file as Blob)
