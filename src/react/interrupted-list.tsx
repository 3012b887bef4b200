import type { Control } from '../ui/file-view.ts'
import { type InterruptedItem, interruptedState, interruptedView } from '../ui/interrupted.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

export interface InterruptedListProps {
  items: readonly InterruptedItem[]
  messages: UploadMessages
  /** After a press: the row's buttons go (continuing, gone), so the parent takes focus. */
  onPressed: () => void
}

/**
 * The interrupted uploads above `<Upload />`'s drop zone: "big.mp4 stopped at 43 %", then
 * Continue and Discard, or why it waits. What shows is the shared `interruptedView`'s choice.
 */
export function InterruptedList({ items, messages: m, onPressed }: InterruptedListProps) {
  if (items.length === 0) return null
  return (
    <ul className="partwise__list partwise__interrupted" aria-label={m.interrupted}>
      {items.map((item) => {
        const { stopped, note, primary, secondary } = interruptedView(item, m)
        const button = ([word, action]: Control) => (
          <button
            type="button"
            className="partwise__button"
            aria-label={m.buttonLabel(word, item.name)}
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
