import type { UploadError } from './errors.ts'
import type { UploadOptions } from './options.ts'

/** The media object the completion answers with (docs/PROTOCOL.md §2d); fields beyond these pass through. */
export interface Media {
  id: string
  object: 'media'
  kind: 'image' | 'video' | 'audio' | null
  width: number | null
  height: number | null
  duration: number | null
  filesize: number
  sources?: Array<Record<string, unknown>>
  metadata?: Record<string, string | number | boolean | null>
  status?: string
  [field: string]: unknown
}

/**
 * Where an upload is. The order a normal upload goes: idle → checking → uploading →
 * completing → success. `retrying` is uploading with at least one part waiting out a backoff;
 * `offline` is holding every part until the browser is back online. `verifying` is a resumed
 * upload (a stored record) sending its missing parts before its stored URL has answered: the
 * parts the record lists are shown in `bytesRecorded` until then, and count in `bytesUploaded`
 * once it answers.
 */
export type UploadStatus =
  | 'idle'
  | 'checking'
  | 'verifying'
  | 'uploading'
  | 'retrying'
  | 'offline'
  | 'paused'
  | 'completing'
  | 'success'
  | 'error'
  | 'cancelled'

/** An immutable picture of one upload, the same object until something changes. */
export interface UploadSnapshot {
  readonly status: UploadStatus
  /**
   * The file. From a `FileSystemFileHandle`, an empty `File` with the handle's name until
   * `start()` has read the file from it.
   */
  readonly file: Blob
  /** Bytes the server has received, as far as the browser can tell; never decreases. */
  readonly bytesUploaded: number
  readonly bytesTotal: number
  /**
   * Bytes a resume record lists as stored that the server has not confirmed yet (while
   * `verifying`); 0 otherwise. Not in `bytesUploaded`: once the stored URL answers they move
   * there, and a URL that turns out dead stored none of them (a fresh session starts again
   * from the first byte), so that `bytesUploaded` never has to go back.
   */
  readonly bytesRecorded: number
  /** `bytesUploaded / bytesTotal`, 0 to 1; 1 only once every part is acknowledged. */
  readonly progress: number
  /** Bytes per second, smoothed; 0 until measured. */
  readonly speed: number
  /** Seconds left at the current speed; null until it can be estimated. */
  readonly timeRemaining: number | null
  readonly partsTotal: number
  readonly partsAcknowledged: number
  /** True when this upload continued a stored record instead of starting over. */
  readonly resumed: boolean
  readonly error: UploadError | null
  readonly result: Media | null
}

export interface Upload {
  /** What `createUpload` was given: the file, or its `FileSystemFileHandle`. */
  readonly file: Blob | FileSystemFileHandle
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
