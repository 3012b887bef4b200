import type { UploadStatus } from './types.ts'

/**
 * The one status vocabulary: what each `UploadStatus` means for a caller. The core, the React
 * layer and any other UI ask these questions instead of keeping sets of their own.
 */

/** Bytes may be moving: `pause()` and going offline interrupt these. */
export const isSending = (status: UploadStatus): boolean =>
  status === 'uploading' ||
  status === 'retrying' ||
  status === 'completing' ||
  status === 'verifying'

/** Started and not yet ended: the upload holds one of a queue's places (paused included). */
export const isActive = (status: UploadStatus): boolean => status !== 'idle' && !isEnded(status)

/** Active and not paused: what `pause()` stops, and what a UI offers to pause. */
export const isRunning = (status: UploadStatus): boolean => isActive(status) && status !== 'paused'

/** Nothing more will happen by itself: success, error or cancelled. */
export const isEnded = (status: UploadStatus): boolean =>
  status === 'success' || status === 'error' || status === 'cancelled'

/** Ended for good: neither `retry()` nor `start()` can change it. */
export const isFinal = (status: UploadStatus): boolean =>
  status === 'success' || status === 'cancelled'

// In a module of its own: only UIs ask it, so it stays out of the chunk the core shares with them.
export { isPermanent } from './permanent.ts'
