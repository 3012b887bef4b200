import { type Control, failureKey, fileView } from '../ui/file-view.ts'
import type { QueueItem } from '../ui/queue-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { FilePreview } from './file-preview.tsx'
import { ProgressBar } from './progress-bar.tsx'

export interface FileItemProps {
  item: QueueItem
  messages: UploadMessages
  /** Removing unmounts the focused button: the parent decides where focus goes next. */
  onRemove: (item: QueueItem) => void
}

/**
 * One file: preview, name, size, progress, speed and time left, controls, and why it failed.
 * What shows and which controls are the shared `fileView`'s choice.
 */
export function FileItem({ item, messages: m, onRemove }: FileItemProps) {
  const { name } = item
  const { shown, word, running, refusal, primary, secondary, bar, amounts } = fileView(
    item,
    m,
    () => onRemove(item),
  )
  const button = ([word, action]: Control) => (
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
        {bar && <ProgressBar label={m.progressLabel(name)} counts={item} messages={m} />}
        <p className="partwise__line partwise__meta">
          <span className="partwise__status">{word}</span>
          {running && item.speed > 0 && <span>{m.speed(item.speed)}</span>}
          {running && item.timeRemaining !== null && (
            <span>{m.timeRemaining(item.timeRemaining)}</span>
          )}
          {amounts && (
            <span className="partwise__amounts">
              <span>{amounts[0]}</span> <span className="partwise__percent">{amounts[1]}</span>
            </span>
          )}
        </p>
        {refusal ? (
          <ul className="partwise__errors">
            {refusal.map((failure, index) => (
              <li key={failureKey(failure, index)}>{m.refusal(failure)}</li>
            ))}
          </ul>
        ) : (
          item.error && <p className="partwise__errors">{m.error(item.error)}</p>
        )}
      </div>
      <div className="partwise__actions">
        {primary && button(primary)}
        {button(secondary)}
      </div>
    </li>
  )
}
