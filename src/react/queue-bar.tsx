import { useId } from 'react'
import { queueView } from '../ui/queue-actions.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { ProgressBar } from './progress-bar.tsx'
import type { UploadQueueResult } from './use-upload-queue.ts'

export interface QueueBarProps {
  queue: UploadQueueResult
  messages: UploadMessages
  multiple: boolean
  /** Each button goes away once pressed (nothing is left for it to do): where focus goes then. */
  onPressed: () => void
}

/**
 * The queue's own line, under the file list: the summary ("2 of 3 uploaded · 20 s left"), which
 * is the visible name of the overall bar, and the buttons that apply now (`queueView`).
 */
export function QueueBar({ queue, messages: m, multiple, onPressed }: QueueBarProps) {
  const summaryId = useId()
  const { summary, controls } = queueView(queue, m, multiple)
  if (summary === null && controls.length === 0) return null
  return (
    <div className="partwise__queue">
      {summary !== null && (
        <>
          <p className="partwise__summary" id={summaryId}>
            {summary}
          </p>
          <ProgressBar label={m.totalLabel} labelledBy={summaryId} counts={queue} messages={m} />
        </>
      )}
      {controls.length > 0 && (
        <div className="partwise__actions">
          {controls.map(([key, word, action]) => (
            <button
              key={key}
              type="button"
              className="partwise__button"
              data-action={key}
              onClick={() => {
                action()
                onPressed()
              }}
            >
              {word}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
