import type { ConditionFailure, UploadError, UploadStatus } from '../core/index.ts'
import { formatBytes, formatDuration } from '../shared/format.ts'
import { acceptWords } from './accept.ts'
import type { FileRefusal } from './drop-rules.ts'
import type { InterruptedMessages } from './interrupted-types.ts'
import { defaultQueueMessages, type QueueMessages } from './queue-messages.ts'

/**
 * Every string `<Upload />` shows or announces. Pass any subset as `messages`; the rest stay
 * English. Functions get what they need to build a sentence, so word order can change. The
 * interrupted-uploads list's words (`InterruptedMessages`) are here too, optional: their
 * English defaults load with the list.
 */
export interface UploadMessages extends QueueMessages, Partial<InterruptedMessages> {
  /** The drop zone's text, which also names the file input. */
  prompt: (multiple: boolean) => string
  /** Under the prompt ("Images or PDF · up to 3 files"); empty for none. */
  hint: (accept: string | undefined, maxFiles: number | undefined) => string
  dragActive: string
  dragReject: string
  /** The name of the file list. */
  files: string
  /** A file's state in a word; `refused`: the conditions refused it (its status is `error`). */
  status: (status: UploadStatus | 'queued' | 'refused') => string
  pause: string
  resume: string
  cancel: string
  retry: string
  /** Takes an ended file out of the list; the file stays on the server. */
  remove: string
  /** Hides the list of files a pick, drop or paste could not take. */
  dismiss: string
  /** A button's accessible name, so that "Pause" says which file; keep `action` first. */
  buttonLabel: (action: string, name: string) => string
  progressLabel: (name: string) => string
  progressText: (percent: number, uploaded: number, total: number) => string
  /** A file's bytes sent so far: "17 of 48 MB". */
  sent: (uploaded: number, total: number) => string
  totalLabel: string
  speed: (bytesPerSecond: number) => string
  timeRemaining: (seconds: number) => string
  size: (bytes: number) => string
  /** A failure other than a refusal by the conditions. */
  error: (error: UploadError) => string
  /** One rule the file broke; the core's English explanation by default. */
  refusal: (failure: ConditionFailure) => string
  refused: (refusal: FileRefusal, maxFiles: number | undefined) => string
  /**
   * What the live region says about a file: `news` is a status word ("Uploaded", "Paused"), a
   * milestone ("50%"), or a failure with its reason.
   */
  announce: (name: string, news: string) => string
}

const STATUS: Record<UploadStatus | 'queued' | 'refused', string> = {
  queued: 'Waiting',
  refused: 'Refused',
  idle: 'Waiting',
  checking: 'Checking…',
  verifying: 'Checking the parts already uploaded…',
  uploading: 'Uploading',
  retrying: 'Retrying…',
  offline: 'Offline: will go on when the connection is back',
  paused: 'Paused',
  completing: 'Finishing…',
  success: 'Uploaded',
  error: 'Failed',
  cancelled: 'Cancelled',
}

/** "17 of 48 MB", "500 KB of 2 MB": the unit said once when both share it. */
function sent(uploaded: number, total: number): string {
  const done = formatBytes(uploaded)
  const all = formatBytes(total)
  const unit = all.slice(all.indexOf(' '))
  return `${done.endsWith(unit) ? done.slice(0, -unit.length) : done} of ${all}`
}

export const defaultUploadMessages: UploadMessages = {
  ...defaultQueueMessages,
  prompt: (multiple) => `Drop ${multiple ? 'files' : 'a file'} here, or click to browse`,
  hint: (accept, maxFiles) =>
    [acceptWords(accept), maxFiles && `up to ${maxFiles} files`].filter(Boolean).join(' · '),
  dragActive: 'Drop to upload',
  dragReject: 'Some of these files cannot be uploaded here',
  files: 'Files',
  status: (status) => STATUS[status],
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove from list',
  dismiss: 'Dismiss',
  buttonLabel: (action, name) => `${action} ${name}`,
  progressLabel: (name) => `Upload of ${name}`,
  progressText: (percent, uploaded, total) => `${percent}% (${sent(uploaded, total)})`,
  sent,
  totalLabel: 'All files',
  speed: (bytesPerSecond) => `${formatBytes(Math.round(bytesPerSecond))}/s`,
  timeRemaining: (seconds) => `${formatDuration(Math.ceil(seconds))} left`,
  size: (bytes) => formatBytes(bytes),
  error: (error) => error.message,
  refusal: (failure) => failure.message,
  refused: ({ file, reason }, maxFiles) =>
    reason === 'accept'
      ? `${file.name}: this type of file is not accepted`
      : `${file.name}: too many files${maxFiles ? ` (at most ${maxFiles})` : ''}`,
  announce: (name, news) => `${name}: ${news}`,
}
