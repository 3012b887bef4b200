import type { UploadError } from '../core/index.ts'
import { isEnded, isPermanent, isRunning } from '../core/status.ts'
import { FilePreview } from './file-preview.tsx'
import { ProgressBar } from './progress-bar.tsx'
import type { QueueItem } from './queue-types.ts'
import type { UploadMessages } from './ui-messages.ts'

const canRetry = (error: UploadError | null): boolean => !!error && !isPermanent(error.code)

export interface FileItemProps {
  item: QueueItem
  messages: UploadMessages
  /** Removing unmounts the focused button: the parent decides where focus goes next. */
  onRemove: (item: QueueItem) => void
}

/**
 * One file: preview, name, size, progress, speed and time left, controls, and why it failed.
 *
 * The controls are two fixed slots (pause / resume / retry, then cancel / remove) whose words
 * change with the state: the `<button>` stays the same element, so focus stays on it when
 * "Pause" becomes "Resume" and a keyboard user can press it again.
 */
export function FileItem({ item, messages: m, onRemove }: FileItemProps) {
  const { name, status, queued, error } = item
  const shown = queued ? 'queued' : status
  const running = isRunning(status) && !queued
  const refusal = error?.refusal?.errors
  let primary: [string, () => void] | null = null
  if (running) primary = [m.pause, item.pause]
  else if (status === 'paused') primary = [m.resume, item.resume]
  else if (status === 'error' && !queued && canRetry(error)) primary = [m.retry, item.retry]
  const secondary: [string, () => void] = isEnded(status)
    ? [m.remove, () => onRemove(item)]
    : [m.cancel, item.cancel]
  const button = ([word, action]: [string, () => void]) => (
    <button
      type="button"
      className="partwise__button"
      aria-label={m.buttonLabel(word, name)}
      onClick={action}
    >
      {word}
    </button>
  )

  return (
    <li className="partwise__item" data-status={shown}>
      <FilePreview file={item.file} />
      <div className="partwise__body">
        <p className="partwise__line">
          <span className="partwise__name">{name}</span>
          <span className="partwise__size">{m.size(item.bytesTotal)}</span>
        </p>
        {!refusal && status !== 'cancelled' && (
          <ProgressBar
            label={m.progressLabel(name)}
            progress={item.progress}
            bytesUploaded={item.bytesUploaded}
            bytesTotal={item.bytesTotal}
            messages={m}
          />
        )}
        <p className="partwise__line partwise__meta">
          <span className="partwise__status">{m.status(shown)}</span>
          {running && item.speed > 0 && <span>{m.speed(item.speed)}</span>}
          {running && item.timeRemaining !== null && (
            <span>{m.timeRemaining(item.timeRemaining)}</span>
          )}
        </p>
        {refusal ? (
          <ul className="partwise__errors">
            {refusal.map((failure) => (
              <li key={`${failure.rule.key}${failure.rule.operator}${failure.rule.value}`}>
                {m.refusal(failure)}
              </li>
            ))}
          </ul>
        ) : (
          error && <p className="partwise__errors">{m.error(error)}</p>
        )}
      </div>
      <div className="partwise__actions">
        {primary && button(primary)}
        {button(secondary)}
      </div>
    </li>
  )
}
