import type { Control } from '../ui/file-view.ts'
import { interruptedState } from '../ui/interrupted-store.ts'
import type { InterruptedItem, InterruptedView } from '../ui/interrupted-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

export interface InterruptedListProps {
  items: readonly InterruptedItem[]
  messages: UploadMessages
  /** Its words and controls: `useInterruptedUploads().view`. */
  view: (item: InterruptedItem, messages: UploadMessages) => InterruptedView
  /** After a press: the row's buttons go (continuing, gone), so the parent takes focus. */
  onPressed: () => void
}

/**
 * The interrupted uploads above `<Upload />`'s drop zone: "big.mp4 stopped at 43 %", then
 * Continue and Discard, or why it waits. What shows is the shared `interruptedView`'s choice.
 */
export function InterruptedList({ items, messages, view, onPressed }: InterruptedListProps) {
  const first = items[0]
  if (!first) return null
  return (
    <ul className="partwise__list partwise__interrupted" aria-label={view(first, messages).label}>
      {items.map((item) => {
        const { stopped, note, primary, secondary, labelOf } = view(item, messages)
        const button = ([word, action]: Control) => (
          <button
            type="button"
            className="partwise__button"
            aria-label={labelOf(word)}
            onClick={() => {
              action()
              onPressed()
            }}
          >
            {word}
          </button>
        )
        return (
          <li key={item.id} className="partwise__item" data-interrupted={interruptedState(item)}>
            <div className="partwise__body">
              <p className="partwise__line">
                <span className="partwise__stopped">{item.name}</span>
                <span>{stopped}</span>
              </p>
              {note && <p className="partwise__line partwise__meta">{note}</p>}
            </div>
            <div className="partwise__actions">
              {primary && button(primary)}
              {secondary && button(secondary)}
            </div>
          </li>
        )
      })}
    </ul>
  )
}
