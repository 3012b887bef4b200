import { formatDuration } from '../shared/format.ts'

/** The words of the queue's own line: its summary and its buttons (part of `UploadMessages`). */
export interface QueueMessages {
  /**
   * The summary line, which also names the overall progress bar: "2 of 3 uploaded · 20 s left".
   * `total` leaves out cancelled and refused files; `secondsLeft` is null until it can be
   * estimated.
   */
  summary: (uploaded: number, total: number, secondsLeft: number | null) => string
  /** The button that starts the files held by `autoStart={false}`. */
  start: (files: number) => string
  retryAll: string
  cancelAll: string
  clearFinished: string
}

export const defaultQueueMessages: QueueMessages = {
  summary: (uploaded, total, secondsLeft) =>
    `${uploaded} of ${total} uploaded${
      secondsLeft === null ? '' : ` · ${formatDuration(Math.ceil(secondsLeft))} left`
    }`,
  start: (files) => `Upload ${files} ${files === 1 ? 'file' : 'files'}`,
  retryAll: 'Retry all',
  cancelAll: 'Cancel all',
  clearFinished: 'Clear finished',
}
