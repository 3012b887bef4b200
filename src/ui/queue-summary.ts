import type { Upload, UploadSnapshot, UploadStatus } from '../core/index.ts'
import { isEnded, isPermanent, isRunning } from '../core/status.ts'
import type { FileResult, QueueItem, QueueState, QueueStatus } from './queue-types.ts'

export type Controls = Pick<QueueItem, 'pause' | 'resume' | 'cancel' | 'retry' | 'remove'>

/** One file in the queue, as the queue keeps it. */
export interface Entry {
  readonly id: string
  /** Replaced once, when `beforeUpload` renames the file. */
  upload: Upload
  readonly controls: Controls
  /**
   * The file as picked, when the upload was given its handle (#16): until the core has read the
   * handle, its snapshot holds the handle, which has no type, size or preview.
   */
  file: Blob | null
  unsubscribe: () => void
  /** Waiting for a place: an idle file just added, or a failed one put back by `retry()`. */
  queued: boolean
  /** Not started until `start()`, while `autoStart` is false. */
  held: boolean
  /** Waiting for `beforeUpload`'s answer: not started meanwhile. */
  preparing: boolean
  /** The upload's snapshot as last heard: what a notification changed is measured against it. */
  seen: UploadSnapshot
  /** The item last made, and the snapshot it was made from: see `itemOf`. */
  made: { readonly from: UploadSnapshot; readonly item: QueueItem } | null
}

export const EMPTY: QueueState = Object.freeze({
  items: [],
  status: 'idle',
  filesTotal: 0,
  filesUploaded: 0,
  filesHeld: 0,
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

/** Refused, by the conditions or by `beforeUpload`: it will never be uploaded. */
export const isRefused = ({ status, error }: UploadSnapshot): boolean =>
  status === 'error' && error?.code === 'conditions_failed'

/** Will not change unless asked to: uploaded, cancelled, or failed in a way retrying cannot fix. */
export const isFinished = ({ status, error }: UploadSnapshot): boolean =>
  isEnded(status) && !(error && !isPermanent(error.code))

/** Counts toward the queue's totals: neither cancelled nor refused. */
const counts = (seen: UploadSnapshot): boolean => seen.status !== 'cancelled' && !isRefused(seen)

/**
 * The queue's snapshot: every item, and totals over the files that count. `rate` is the queue's
 * measured throughput (0 until known); `manual` holds the files marked `held`.
 */
export function summarise(entries: readonly Entry[], rate: number, manual: boolean): QueueState {
  let filesTotal = 0
  let filesUploaded = 0
  let filesHeld = 0
  let bytesUploaded = 0
  let bytesRecorded = 0
  let bytesTotal = 0
  /** Bytes still to send of the files that move without being asked to. */
  let pending = 0
  let sending = false
  for (const { seen, queued, held } of entries) {
    if (!counts(seen)) continue
    const waiting = queued && held && manual
    filesTotal++
    if (seen.status === 'success') filesUploaded++
    if (waiting) filesHeld++
    bytesUploaded += seen.bytesUploaded
    bytesRecorded += seen.bytesRecorded
    bytesTotal += seen.bytesTotal
    if ((queued && !waiting) || isRunning(seen.status))
      pending += seen.bytesTotal - seen.bytesUploaded
    if (isRunning(seen.status)) sending = true
  }
  return {
    items: entries.map(itemOf),
    status: queueStatus(entries, manual),
    filesTotal,
    filesUploaded,
    filesHeld,
    bytesUploaded,
    bytesRecorded,
    bytesTotal,
    progress: bytesTotal === 0 ? 0 : bytesUploaded / bytesTotal,
    speed: rate,
    timeRemaining: sending && rate > 0 ? pending / rate : null,
  }
}

/**
 * The most pressing state among the files that count; a file waiting in line counts as
 * uploading, one held for `start()` as idle. Refused files alone are an error; beside uploaded
 * ones they leave it a success: everything that could be uploaded was (each refusal shows on its
 * own row).
 */
function queueStatus(entries: readonly Entry[], manual: boolean): QueueStatus {
  if (entries.some((e) => (e.queued && !(e.held && manual)) || isRunning(e.seen.status))) {
    return 'uploading'
  }
  const has = (status: UploadStatus) =>
    entries.some((e) => !e.queued && e.seen.status === status && counts(e.seen))
  if (has('paused')) return 'paused'
  if (has('error')) return 'error'
  // Files held for `start()`: the queue is not done, nor is it moving.
  if (entries.some((e) => e.queued)) return 'idle'
  if (has('success')) return 'success'
  return entries.some((e) => isRefused(e.seen)) ? 'error' : 'idle'
}
