import { isEnded, isPermanent } from '../core/status.ts'
import type { Control } from './file-view.ts'
import { isFinished } from './queue-summary.ts'
import type { QueueActions, QueueState } from './queue-types.ts'
import type { UploadMessages } from './ui-messages.ts'

/** What the queue's own line shows, decided once for `<Upload />` and `<partwise-upload>`. */
export interface QueueView {
  /** The summary line, which names the overall bar; null when neither is shown. */
  summary: string | null
  /**
   * The buttons that apply now, each under a stable key: Upload (files held by `autoStart`
   * false), then, for a list of several files, Retry all, Cancel all and Clear finished.
   */
  controls: ReadonlyArray<readonly [key: string, ...Control]>
}

export function queueView(
  queue: QueueState & QueueActions,
  m: UploadMessages,
  multiple: boolean,
): QueueView {
  const { items } = queue
  const several = multiple && items.length > 1
  const controls: Array<readonly [string, ...Control]> = []
  if (queue.filesHeld > 0) controls.push(['start', m.start(queue.filesHeld), queue.start])
  if (several) {
    const failed = items.some(
      (i) => i.status === 'error' && !i.queued && !!i.error && !isPermanent(i.error.code),
    )
    if (failed) controls.push(['retry', m.retryAll, queue.retryAll])
    if (items.some((i) => !isEnded(i.status)))
      controls.push(['cancel', m.cancelAll, queue.cancelAll])
    if (items.some(isFinished)) controls.push(['clear', m.clearFinished, queue.clearFinished])
  }
  return {
    summary: several ? m.summary(queue.filesUploaded, queue.filesTotal, queue.timeRemaining) : null,
    controls,
  }
}
