import type { Media, Upload, UploadError, UploadOptions, UploadSnapshot } from '../core/index.ts'

/** How one file ended: given to `onFileResult`, and to `onComplete` for every file. */
export interface FileResult {
  readonly file: Blob
  readonly status: 'success' | 'error' | 'cancelled'
  readonly media: Media | null
  readonly error: UploadError | null
}

export interface UploadQueueOptions extends UploadOptions {
  /**
   * Files uploading at once; the others wait their turn. A paused file keeps its place.
   * @default 3
   */
  parallelFiles?: number | undefined
  /** Most files the queue holds; files beyond are refused. @default Infinity */
  maxFiles?: number | undefined
  onSuccess?: ((media: Media, file: Blob) => void) | undefined
  /** A failed file (not a cancelled one). */
  onError?: ((error: UploadError, file: Blob) => void) | undefined
  /** Bytes moved for one file; called at most about once a frame per file. */
  onProgress?: ((snapshot: UploadSnapshot, file: Blob) => void) | undefined
  /** Each file's ending: success, error or cancelled. */
  onFileResult?: ((result: FileResult) => void) | undefined
  /** Every file has ended (again, after a retry): the results of all files in the queue. */
  onComplete?: ((results: FileResult[]) => void) | undefined
}

/** One file in the queue: its upload's snapshot, its place in line, and its own controls. */
export interface QueueItem extends UploadSnapshot {
  /** Unique in its queue, stable for the file's life: a React key. */
  readonly id: string
  readonly name: string
  /** Waiting for one of the `parallelFiles` places (a retry waits as well). */
  readonly queued: boolean
  pause(): void
  resume(): void
  cancel(): void
  /** Puts a failed file back in line; it continues from its acknowledged parts. */
  retry(): void
  /** Cancels the file if it is not finished, and takes it out of the queue. */
  remove(): void
}

/** Where the queue as a whole is: the most pressing state among its files. */
export type QueueStatus = 'idle' | 'uploading' | 'paused' | 'error' | 'success'

export interface QueueState {
  readonly items: readonly QueueItem[]
  readonly status: QueueStatus
  /** Totals over every file not cancelled. */
  readonly bytesUploaded: number
  /** What resumed files' records list while they are `verifying` (see UploadSnapshot). */
  readonly bytesRecorded: number
  readonly bytesTotal: number
  readonly progress: number
  readonly speed: number
  readonly timeRemaining: number | null
}

export interface QueueActions {
  /** Adds files and starts them as places free up; returns the files refused by `maxFiles`. */
  add(files: Iterable<Blob>): Blob[]
  /**
   * Takes in an upload made elsewhere, already started: a continued interrupted upload
   * (`useInterruptedUploads`), shown and counted like the others.
   */
  adopt(upload: Upload): void
  remove(id: string): void
  /** Cancels and removes every file. */
  clear(): void
  pauseAll(): void
  resumeAll(): void
  cancelAll(): void
}
