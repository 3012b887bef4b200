import type { QueueActions, QueueState, UploadQueueOptions } from '../ui/queue-types.ts'
import { UploadQueue } from '../ui/upload-queue.ts'
import { useUploadStore } from './use-upload-store.ts'

/** What `useUploadQueue` returns: every file with its own controls, totals, and queue actions. */
export interface UploadQueueResult extends QueueState, QueueActions {}

/**
 * Several files, `parallelFiles` at a time, each with its own state and controls, and totals
 * across them: the state behind `<Upload multiple>`, for a custom UI. One snapshot reaches React
 * at most about once a frame, however many files are moving.
 */
export function useUploadQueue(options: UploadQueueOptions): UploadQueueResult {
  return useUploadStore(UploadQueue, options)
}
