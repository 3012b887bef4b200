import { queueView } from '../ui/queue-actions.ts'
import type { QueueActions, QueueState } from '../ui/queue-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { bar, flag, h, setBar, text } from './dom.ts'

/**
 * The queue's own line, as `<Upload />`'s QueueBar: the summary, which names the overall bar
 * (`aria-labelledby`, within the shadow root), and the buttons that apply now (`queueView`),
 * one element per key, made when first needed.
 */
export class QueueLine {
  readonly #summary = h('p', 'summary', { id: 'summary' })
  readonly #bar = bar()
  readonly #actions = h('div', 'actions')
  readonly element = h('div', 'queue', {}, this.#summary, this.#bar, this.#actions)
  readonly #buttons = new Map<string, HTMLButtonElement>()

  /** `onPressed`: each button goes away once pressed; where focus goes then. */
  constructor(onPressed: () => void) {
    this.#bar.setAttribute('aria-labelledby', 'summary')
    this.#bar.setAttribute('part', 'bar total')
    this.#actions.addEventListener('click', (event) => {
      if ((event.target as Element).closest('button')) onPressed()
    })
  }

  update(queue: QueueState & QueueActions, m: UploadMessages, multiple: boolean): void {
    const { summary, controls } = queueView(queue, m, multiple)
    flag(this.element, 'hidden', summary === null && controls.length === 0)
    flag(this.#summary, 'hidden', summary === null)
    flag(this.#bar, 'hidden', summary === null)
    text(this.#summary, summary ?? '')
    setBar(this.#bar, m.totalLabel, queue, m)
    const shown = new Set<string>()
    for (const [key, word, action] of controls) {
      shown.add(key)
      let button = this.#buttons.get(key)
      if (!button) {
        button = h('button', 'button', { type: 'button', 'data-action': key })
        this.#buttons.set(key, button)
      }
      button.onclick = action
      text(button, word)
      // In the order given: appending an element already in place moves nothing.
      this.#actions.append(button)
    }
    for (const [key, button] of this.#buttons) if (!shown.has(key)) button.remove()
  }
}
