import type { UploadSnapshot, UploadStatus } from '../core/index.ts'
import type { FileResult, QueueItem, QueueState, QueueStatus } from './queue-types.ts'

/** Statuses that hold one of the `parallelFiles` places. */
export const HOLDS_PLACE: ReadonlySet<UploadStatus> = new Set([
  'checking',
  'uploading',
  'retrying',
  'offline',
  'paused',
  'completing',
])
export const MOVING: ReadonlySet<UploadStatus> = new Set(['uploading', 'retrying', 'completing'])
export const ENDED: ReadonlySet<UploadStatus> = new Set(['success', 'error', 'cancelled'])

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
  const statuses = new Set<UploadStatus | 'queued'>()
  for (const { seen, queued } of entries) {
    statuses.add(queued ? 'queued' : seen.status)
    if (seen.status === 'cancelled') continue
    bytesUploaded += seen.bytesUploaded
    bytesTotal += seen.bytesTotal
    if (MOVING.has(seen.status)) speed += seen.speed
  }
  return {
    items: entries.map((e) => e.item),
    status: queueStatus(statuses),
    bytesUploaded,
    bytesTotal,
    progress: bytesTotal === 0 ? 0 : bytesUploaded / bytesTotal,
    speed,
    timeRemaining: speed > 0 ? (bytesTotal - bytesUploaded) / speed : null,
  }
}

function queueStatus(statuses: ReadonlySet<UploadStatus | 'queued'>): QueueStatus {
  const has = (s: UploadStatus | 'queued') => statuses.has(s)
  if (has('queued') || [...HOLDS_PLACE].some((s) => s !== 'paused' && has(s))) return 'uploading'
  if (has('paused')) return 'paused'
  if (has('error')) return 'error'
  if (has('success')) return 'success'
  return 'idle'
}
