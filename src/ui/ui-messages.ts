import type { ConditionFailure, UploadError, UploadStatus } from '../core/index.ts'
import { formatBytes, formatDuration } from '../shared/format.ts'
import type { FileRefusal } from './drop-rules.ts'
import type { InterruptedMessages } from './interrupted-types.ts'

/**
 * Every string `<Upload />` shows or announces. Pass any subset as `messages`; the rest stay
 * English. Functions get what they need to build a sentence, so word order can change. The
 * interrupted-uploads list's words (`InterruptedMessages`) are here too, optional: their
 * English defaults load with the list.
 */
export interface UploadMessages extends Partial<InterruptedMessages> {
  /** The drop zone's text, which also names the file input. */
  prompt: (multiple: boolean) => string
  /** Under the prompt; empty for none. */
  hint: (accept: string | undefined, maxFiles: number | undefined) => string
  dragActive: string
  dragReject: string
  /** The name of the file list. */
  files: string
  status: (status: UploadStatus | 'queued') => string
  pause: string
  resume: string
  cancel: string
  retry: string
  remove: string
  /** A button's accessible name, so that "Pause" says which file; keep `action` first. */
  buttonLabel: (action: string, name: string) => string
  progressLabel: (name: string) => string
  progressText: (percent: number, uploaded: number, total: number) => string
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

const STATUS: Record<UploadStatus | 'queued', string> = {
  queued: 'Waiting',
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

export const defaultUploadMessages: UploadMessages = {
  prompt: (multiple) => `Drop ${multiple ? 'files' : 'a file'} here, or click to browse`,
  hint: (accept, maxFiles) =>
    [accept && `Accepted: ${accept}`, maxFiles && `up to ${maxFiles} files`]
      .filter(Boolean)
      .join(', '),
  dragActive: 'Drop to upload',
  dragReject: 'Some of these files cannot be uploaded here',
  files: 'Files',
  status: (status) => STATUS[status],
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  retry: 'Retry',
  remove: 'Remove',
  buttonLabel: (action, name) => `${action} ${name}`,
  progressLabel: (name) => `Upload of ${name}`,
  progressText: (percent, uploaded, total) =>
    `${percent}% (${formatBytes(uploaded)} of ${formatBytes(total)})`,
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
