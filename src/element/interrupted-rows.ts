import { type InterruptedItem, interruptedState, interruptedView } from '../ui/interrupted.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { flag, h, text } from './dom.ts'
import { Slot } from './file-row.ts'

/** One interrupted upload: the same pieces as `<Upload />`'s, updated in place. */
class Row {
  readonly element = h('li', 'item interrupted')
  readonly #name = h('span', 'stopped')
  readonly #stopped = h('span', '')
  readonly #note = h('p', 'line meta')
  readonly #primary: Slot
  readonly #secondary: Slot

  constructor(onPressed: () => void) {
    this.#primary = new Slot(onPressed)
    this.#secondary = new Slot(onPressed)
    this.element.append(
      h('div', 'body', {}, h('p', 'line', {}, this.#name, this.#stopped), this.#note),
      h('div', 'actions', {}, this.#primary.button, this.#secondary.button),
    )
  }

  update(item: InterruptedItem, m: UploadMessages): void {
    const { stopped, note, primary, secondary } = interruptedView(item, m)
    this.element.dataset.interrupted = interruptedState(item)
    text(this.#name, item.name)
    text(this.#stopped, stopped)
    flag(this.#note, 'hidden', !note)
    text(this.#note, note ?? '')
    this.#primary.set(primary, item.name, m)
    this.#secondary.set(secondary, item.name, m)
  }
}

/**
 * The interrupted uploads above `<partwise-upload>`'s drop zone (#16): "big.mp4 stopped at
 * 43 %", then Continue and Discard, or why it waits. Rows are kept by id, as the file list's.
 */
export class InterruptedRows {
  readonly element = h('ul', 'list interrupted')
  readonly #rows = new Map<string, Row>()

  constructor(private readonly onPressed: () => void) {}

  render(items: readonly InterruptedItem[], m: UploadMessages): void {
    flag(this.element, 'hidden', items.length === 0)
    this.element.setAttribute('aria-label', m.interrupted)
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
