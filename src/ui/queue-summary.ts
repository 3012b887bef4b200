import type { Upload, UploadSnapshot, UploadStatus } from '../core/index.ts'
import { isRunning, isSending } from '../core/status.ts'
import type { FileResult, QueueItem, QueueState, QueueStatus } from './queue-types.ts'

export type Controls = Pick<QueueItem, 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'>

/** One file in the queue, as the queue keeps it. */
export interface Entry {
  readonly id: string
  readonly upload: Upload
  readonly controls: Controls
  /**
   * The file as picked, when the upload was given its handle (#16): until the core has read the
   * handle, its snapshot holds the handle, which has no type, size or preview.
   */
  readonly file: Blob | null
  unsubscribe: () => void
  /** Waiting for a place: an idle file just added, or a failed one put back by `retry()`. */
  queued: boolean
  /** The upload's snapshot as last heard: what a notification changed is measured against it. */
  seen: UploadSnapshot
  /** The item last made, and the snapshot it was made from: see `itemOf`. */
  made: { readonly from: UploadSnapshot; readonly item: QueueItem } | null
}

export const EMPTY: QueueState = Object.freeze({
  items: [],
  status: 'idle',
  bytesUploaded: 0,
  bytesRecorded: 0,
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

/**
 * The one place an item is made: its upload's snapshot, its place in line and its controls.
 * The same object while neither the snapshot nor the place changed, so a file that did not move
 * keeps its item from one queue snapshot to the next.
 */
function itemOf(entry: Entry): QueueItem {
  const { id, controls, queued, seen, made } = entry
  if (made?.from === seen && made.item.queued === queued) return made.item
  const file = entry.file ?? seen.file
  const item: QueueItem = {
    ...seen,
    ...controls,
    id,
    name: nameOf(file),
    file,
    queued,
  }
  entry.made = { from: seen, item }
  return item
}

/** The queue's snapshot: every item, and totals over the files not cancelled. */
export function summarise(entries: readonly Entry[]): QueueState {
  let bytesUploaded = 0
  let bytesRecorded = 0
  let bytesTotal = 0
  let speed = 0
  for (const { seen } of entries) {
    if (seen.status === 'cancelled') continue
    bytesUploaded += seen.bytesUploaded
    bytesRecorded += seen.bytesRecorded
    bytesTotal += seen.bytesTotal
    if (isSending(seen.status)) speed += seen.speed
  }
  return {
    items: entries.map(itemOf),
    status: queueStatus(entries),
    bytesUploaded,
    bytesRecorded,
    bytesTotal,
    progress: bytesTotal === 0 ? 0 : bytesUploaded / bytesTotal,
    speed,
    timeRemaining: speed > 0 ? (bytesTotal - bytesUploaded) / speed : null,
  }
}

/** The most pressing state among the files; a file waiting in line counts as uploading. */
function queueStatus(entries: readonly Entry[]): QueueStatus {
  if (entries.some((e) => e.queued || isRunning(e.seen.status))) return 'uploading'
  const has = (status: UploadStatus) => entries.some((e) => !e.queued && e.seen.status === status)
  if (has('paused')) return 'paused'
  if (has('error')) return 'error'
  if (has('success')) return 'success'
  return 'idle'
}
