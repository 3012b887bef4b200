import type { ConditionFailure, UploadError } from '../core/index.ts'
import { isEnded, isPermanent, isRunning } from '../core/status.ts'
import type { QueueItem } from './queue-types.ts'
import type { UploadMessages } from './ui-messages.ts'

const canRetry = (error: UploadError | null): boolean => !!error && !isPermanent(error.code)

export type Control = readonly [word: string, action: () => void]

/** What one file shows, decided once for `<Upload />`'s FileItem and `<partwise-upload>`. */
export interface FileView {
  /** The status shown: 'queued' while the file waits for a place. */
  shown: QueueItem['status'] | 'queued'
  /** The status in words: "Refused" for a file the conditions refused, not "Failed". */
  word: string
  /** Sending or about to: speed and time left are shown. */
  running: boolean
  /** The rules a refused file broke; null for any other file. */
  refusal: readonly ConditionFailure[] | null
  /** Pause, Resume or Retry; none for a file that cannot do any. */
  primary: Control | null
  /** Cancel, or Remove once the file has ended. */
  secondary: Control
  /** The progress bar is shown: not for a refused or a cancelled file. */
  bar: boolean
  /** Beside the bar: the bytes sent ("17 of 48 MB") and the percentage; null without a bar. */
  amounts: readonly [sent: string, percent: string] | null
}

/**
 * The controls are two fixed slots (pause / resume / retry, then cancel / remove) whose words
 * change with the state: the `<button>` stays the same element, so focus stays on it when
 * "Pause" becomes "Resume" and a keyboard user can press it again.
 */
export function fileView(item: QueueItem, m: UploadMessages, onRemove: () => void): FileView {
  const { status, queued, error } = item
  const running = isRunning(status) && !queued
  const refusal = error?.refusal?.errors ?? null
  let primary: Control | null = null
  if (running) primary = [m.pause, item.pause]
  else if (status === 'paused') primary = [m.resume, item.resume]
  else if (status === 'error' && !queued && canRetry(error)) primary = [m.retry, item.retry]
  const shown = queued ? 'queued' : status
  const bar = !refusal && status !== 'cancelled'
  const { percent, uploaded } = barValues(item, m)
  return {
    shown,
    word: m.status(error?.code === 'conditions_failed' ? 'refused' : shown),
    running,
    refusal,
    primary,
    secondary: isEnded(status) ? [m.remove, onRemove] : [m.cancel, item.cancel],
    bar,
    amounts: bar ? [m.sent(uploaded, item.bytesTotal), `${percent}%`] : null,
  }
}

/** A key for one reason a file was refused, stable while the file's error stays. */
export const failureKey = ({ message }: ConditionFailure, index: number): string =>
  `${index}${message}`

/** Which preview a file gets: the image or a video frame; null for an icon. */
export const previewKind = (type: string): 'image' | 'video' | null =>
  type.startsWith('image/') ? 'image' : type.startsWith('video/') ? 'video' : null

/** What a progress bar counts: one file's snapshot, or the queue's totals. */
export interface BarCounts {
  /** At `success` the bar is full, whatever the last progress event said. */
  readonly status?: string
  readonly progress: number
  readonly bytesUploaded: number
  readonly bytesRecorded: number
  readonly bytesTotal: number
}

/**
 * The progress bar's numbers, as its fill and ARIA attributes say them. While a resumed file is
 * `verifying`, the bar counts the parts its record lists (`bytesRecorded`), and the status beside
 * it says they are being checked: a reload never shows 0 % and then a jump. Should the stored URL
 * turn out dead, the fresh session starts from 0 under its own status.
 */
export function barValues(
  counts: BarCounts,
  m: UploadMessages,
): { fraction: number; percent: number; text: string; uploaded: number } {
  const { bytesRecorded, bytesTotal } = counts
  const uploaded = counts.bytesUploaded + bytesRecorded
  const fraction =
    counts.status === 'success' ? 1 : bytesRecorded > 0 ? uploaded / bytesTotal : counts.progress
  const percent = Math.floor(fraction * 100)
  return { fraction, percent, text: m.progressText(percent, uploaded, bytesTotal), uploaded }
}
