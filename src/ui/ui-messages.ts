import type { ConditionFailure, UploadError, UploadStatus } from '../core/index.ts'
import { formatBytes, formatDuration } from '../shared/format.ts'
import type { FileRefusal } from './drop-rules.ts'

/**
 * Every string `<Upload />` shows or announces. Pass any subset as `messages`; the rest stay
 * English. Functions get what they need to build a sentence, so word order can change.
 */
export interface UploadMessages {
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
  /** The name of the list of interrupted uploads (#16). */
  interrupted: string
  /** Beside an interrupted file's name: "stopped at 43 %". */
  stoppedAt: (percent: number) => string
  continue: string
  discard: string
  startOver: string
  /** An interrupted file this browser kept no access to: the user picks it again. */
  pickAgain: (name: string) => string
  /** Another tab holds the file and is continuing it: no Continue here. */
  elsewhere: string
  /** Continue was pressed; the permission or the file's check is on its way. */
  continuing: string
  /** The browser, or the user, refused to let the page read the file again. */
  permissionRefused: string
  /** The file changed on disk since its upload began: it can only start over. */
  fileChanged: string
  /** A file picked to continue an interrupted one is not the same file. */
  notSameFile: (name: string) => string
  /** Announced when the list first shows interrupted uploads. */
  interruptedFound: (count: number) => string
  /** Announced for a discarded interrupted upload (through `announce`). */
  discarded: string
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
  interrupted: 'Interrupted uploads',
  stoppedAt: (percent) => `stopped at ${percent} %`,
  continue: 'Continue',
  discard: 'Discard',
  startOver: 'Start over',
  pickAgain: (name) => `Pick ${name} again to continue`,
  elsewhere: 'Continuing in another tab',
  continuing: 'Continuing…',
  permissionRefused: 'Permission to read the file was refused: Continue asks again',
  fileChanged: 'The file changed since its upload began: it can only start over',
  notSameFile: (name) => `That is not the same ${name}: pick that file again, or start over`,
  interruptedFound: (count) =>
    `${count} interrupted upload${count === 1 ? '' : 's'} can be continued`,
  discarded: 'Discarded',
}
