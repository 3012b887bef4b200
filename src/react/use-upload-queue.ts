import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { QueueActions, QueueState, UploadQueueOptions } from './queue-types.ts'
import { UploadQueue } from './upload-queue.ts'

/** What `useUploadQueue` returns: every file with its own controls, totals, and queue actions. */
export interface UploadQueueResult extends QueueState, QueueActions {}

/**
 * Several files, `parallelFiles` at a time, each with its own state and controls, and totals
 * across them: the state behind `<Upload multiple>`, for a custom UI. One snapshot reaches React
 * at most about once a frame, however many files are moving.
 */
export function useUploadQueue(options: UploadQueueOptions): UploadQueueResult {
  const [queue] = useState(() => new UploadQueue(options))
  useEffect(() => queue.setOptions(options), [queue, options])
  useEffect(() => queue.mount(), [queue])
  const state = useSyncExternalStore(queue.subscribe, queue.getSnapshot, queue.getServerSnapshot)
  return useMemo(() => ({ ...state, ...queue.actions }), [state, queue])
}
