import type { Control } from '../ui/file-view.ts'
import { interruptedView } from '../ui/interrupted.ts'
import { interruptedState } from '../ui/interrupted-store.ts'
import type { InterruptedItem } from '../ui/interrupted-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { flag, h, Slot, text } from './dom.ts'

/** One interrupted upload: the same pieces as `<Upload />`'s, updated in place. */
class Row {
  readonly element = h('li', 'item interrupted')
  readonly #name = h('span', 'stopped')
  readonly #stopped = h('span', '')
  readonly #note = h('p', 'line meta')
  readonly #primary = new Slot()
  readonly #secondary = new Slot()

  constructor(private readonly onPressed: () => void) {
    this.element.append(
      h('div', 'body', {}, h('p', 'line', {}, this.#name, this.#stopped), this.#note),
      h('div', 'actions', {}, this.#primary.button, this.#secondary.button),
    )
  }

  update(item: InterruptedItem, m: UploadMessages): void {
    const view = interruptedView(item, m)
    const { stopped, note, primary, secondary } = view
    this.element.dataset.interrupted = interruptedState(item)
    text(this.#name, item.name)
    text(this.#stopped, stopped)
    flag(this.#note, 'hidden', !note)
    text(this.#note, note ?? '')
    this.#primary.set(this.#after(primary), item.name, m)
    this.#secondary.set(this.#after(secondary), item.name, m)
  }

  /** After a press the row's buttons go (continuing, gone): focus goes back to the picker. */
  #after(control: Control | null): Control | null {
    if (!control) return null
    const [word, action] = control
    return [
      word,
      () => {
        action()
        this.onPressed()
      },
    ]
  }
}

/**
 * The interrupted uploads above `<partwise-upload>`'s drop zone (#16), in the View's `<ul>`:
 * "big.mp4 stopped at 43 %", then Continue and Discard, or why it waits. Rows are kept by id,
 * as the file list's. Loaded with the list, once there is something to list.
 */
export class InterruptedRows {
  readonly #rows = new Map<string, Row>()

  constructor(
    readonly element: HTMLUListElement,
    private readonly onPressed: () => void,
  ) {}

  render(items: readonly InterruptedItem[], m: UploadMessages): void {
    const first = items[0]
    if (first) this.element.setAttribute('aria-label', interruptedView(first, m).label)
    const ids = new Set(items.map((item) => item.id))
    for (const [id, row] of this.#rows) {
      if (ids.has(id)) continue
      row.element.remove()
      this.#rows.delete(id)
    }
    for (const item of items) {
      let row = this.#rows.get(item.id)
      if (!row) {
        row = new Row(this.onPressed)
        this.#rows.set(item.id, row)
      }
      row.update(item, m)
      if (row.element.parentNode !== this.element) this.element.append(row.element)
    }
  }
}
