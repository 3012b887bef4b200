import type { UploadSnapshot, UploadStatus } from '../core/index.ts'
import { isRunning, isSending } from '../core/status.ts'
import type { FileResult, QueueItem, QueueState, QueueStatus } from './queue-types.ts'

export const EMPTY: QueueState = Object.freeze({
  items: [],
  status: 'idle',
  bytesUploaded: 0,
  bytesTotal: 0,
  progress: 0,
  speed: 0,
  timeRemaining: null,
})

export const nameOf = (file: Blob): string => (file as Partial<File>).name ?? 'file'
export const resultOf = ({ file, status, result, error }: UploadSnapshot): FileResult => ({
  file,
  status: status as FileResult['status'],
  media: result,
  error,
})

/** The queue's snapshot: every item, and totals over the files not cancelled. */
export function summarise(
  entries: ReadonlyArray<{ seen: UploadSnapshot; queued: boolean; item: QueueItem }>,
): QueueState {
  let bytesUploaded = 0
  let bytesTotal = 0
  let speed = 0
  for (const { seen } of entries) {
    if (seen.status === 'cancelled') continue
    bytesUploaded += seen.bytesUploaded
    bytesTotal += seen.bytesTotal
    if (isSending(seen.status)) speed += seen.speed
  }
  return {
    items: entries.map((e) => e.item),
    status: queueStatus(entries),
    bytesUploaded,
    bytesTotal,
    progress: bytesTotal === 0 ? 0 : bytesUploaded / bytesTotal,
    speed,
    timeRemaining: speed > 0 ? (bytesTotal - bytesUploaded) / speed : null,
  }
}

/** The most pressing state among the files; a file waiting in line counts as uploading. */
function queueStatus(
  entries: ReadonlyArray<{ seen: UploadSnapshot; queued: boolean }>,
): QueueStatus {
  if (entries.some((e) => e.queued || isRunning(e.seen.status))) return 'uploading'
  const has = (status: UploadStatus) => entries.some((e) => !e.queued && e.seen.status === status)
  if (has('paused')) return 'paused'
  if (has('error')) return 'error'
  if (has('success')) return 'success'
  return 'idle'
}
