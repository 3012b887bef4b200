import type { UploadSnapshot } from '../core/index.ts'

/** One upload as React sees it: the core's snapshot, with no file before the first `upload()`. */
export interface UploadState extends Omit<UploadSnapshot, 'file'> {
  readonly file: Blob | null
}

/** The state before any file: what the server renders, and what `reset()` goes back to. */
export const IDLE_STATE: UploadState = Object.freeze({
  status: 'idle',
  file: null,
  bytesUploaded: 0,
  bytesTotal: 0,
  bytesRecorded: 0,
  progress: 0,
  speed: 0,
  timeRemaining: null,
  partsTotal: 0,
  partsAcknowledged: 0,
  resumed: false,
  error: null,
  result: null,
})
