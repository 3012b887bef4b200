import type { Media, Upload, UploadError, UploadSession, UploadSnapshot } from '../core/index.ts'
import type { UploadOptionsBesidesUrl } from '../core/options.ts'
import type { BeforeUpload, UploadMetadata } from './before-upload.ts'

/** How one file ended: given to `onFileResult`, and to `onComplete` for every file. */
export interface FileResult {
  readonly file: Blob
  readonly status: 'success' | 'error' | 'cancelled'
  readonly media: Media | null
  readonly error: UploadError | null
}

/** What a queue's `url` function gets besides the file. */
export interface UploadContext {
  /** What `beforeUpload` gave for this file; `{}` without one. */
  readonly metadata: UploadMetadata
}

/**
 * The upload URL, or a function that creates a session for each file. The function gets the file
 * (renamed, if `beforeUpload` renamed it) and the metadata `beforeUpload` gave it: pass both to
 * the session, e.g. `createUploadSession({ filename: file.name, metadata })` in your route.
 */
export type QueueUrl =
  | string
  | ((file: Blob, context: UploadContext) => Promise<UploadSession> | UploadSession)

export interface UploadQueueOptions extends UploadOptionsBesidesUrl {
  url: QueueUrl
  /**
   * Files uploading at once; the others wait their turn. A paused file keeps its place.
   * @default 3
   */
  parallelFiles?: number | undefined
  /** Most files the queue holds; files beyond are refused. @default Infinity */
  maxFiles?: number | undefined
  /**
   * `false`: files wait in the queue until `start()` (`<Upload />`'s Upload button). They are
   * still checked against `conditions` (and `beforeUpload`) as soon as they are added, so a
   * refusal shows at once; a session's own conditions can only be checked once the file starts.
   * @default true
   */
  autoStart?: boolean | undefined
  /**
   * Called once for each file as it is added, before any check or byte: rename it, give it
   * metadata (passed to the `url` function), or refuse it with a reason shown on its row.
   * See `BeforeUpload`.
   */
  beforeUpload?: BeforeUpload | undefined
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
  /**
   * Files that count: every file but the cancelled and the refused ones (by the conditions or by
   * `beforeUpload`), which will never be uploaded. The queue is done when `filesUploaded`
   * reaches it, and the bytes below are totals over the same files.
   */
  readonly filesTotal: number
  readonly filesUploaded: number
  /** Files held for `start()` (with `autoStart: false`). */
  readonly filesHeld: number
  /** Byte totals over the files that count. */
  readonly bytesUploaded: number
  /** What resumed files' records list while they are `verifying` (see UploadSnapshot). */
  readonly bytesRecorded: number
  readonly bytesTotal: number
  readonly progress: number
  /** The queue's own throughput in bytes per second, measured over its last seconds; 0 until known. */
  readonly speed: number
  /**
   * Seconds until the files now moving (and those waiting their turn) are sent, at `speed`;
   * null while nothing is sending or the speed is not measured yet.
   */
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
  /** Cancels every file not ended yet, held ones included. */
  cancelAll(): void
  /** Starts the files held by `autoStart: false`. */
  start(): void
  /** Puts every failed file back in line (not the refused ones: trying again cannot help). */
  retryAll(): void
  /** Removes the files that have finished: uploaded, cancelled or refused. */
  clearFinished(): void
}
