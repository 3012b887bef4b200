import type { Announcement } from '../ui/announcer.ts'
import type { FileRefusal } from '../ui/drop-rules.ts'
import type { QueueActions, QueueItem, QueueState } from '../ui/queue-types.ts'
import { elementCss } from '../ui/styles.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { visuallyHidden } from '../ui/visually-hidden.ts'
import { flag, h, icon, text, UPLOAD_ICON } from './dom.ts'
import type { FileRow } from './file-row.ts'
import type { QueueLine } from './queue-line.ts'

let sheet: CSSStyleSheet | undefined

/** One parsed stylesheet, adopted by every instance, rather than a `<style>` in each. */
function defaultSheet(): CSSStyleSheet {
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(elementCss)
  }
  return sheet
}

/** What the element's shadow tree shows, from the element's state. */
export interface ViewState {
  queue: QueueState & QueueActions
  messages: UploadMessages
  multiple: boolean
  disabled: boolean
  accept: string | undefined
  maxFiles: number | undefined
  unstyled: boolean
  dragging: boolean
  dragReject: boolean
  refusals: readonly FileRefusal[]
  lines: readonly Announcement[]
}

/**
 * The shadow tree of `<partwise-upload>`, the same structure as `<Upload />`'s: the
 * interrupted uploads (#16), a label that
 * holds the native file input (so a click anywhere on it, or Enter / Space on the focused
 * input, opens the picker), the refusals, the file list, the total bar, and a polite live
 * region that is there from the start.
 */
export class View {
  readonly input = h('input', 'input', { type: 'file' })
  readonly root = h('div', '')
  readonly #prompt = h('span', 'prompt')
  readonly #hint = h('span', 'hint')
  readonly #refused = h('ul', 'errors refused')
  readonly #dismiss = h('button', 'button', { type: 'button' })
  readonly #refusalBox = h('div', 'refusals', {}, this.#refused, this.#dismiss)
  readonly #list = h('ul', 'list')
  /** The rows' class and the queue line, once `file-parts.ts` has loaded (see `render`). */
  #parts: { Row: typeof FileRow; line: QueueLine } | null = null
  #loading = false
  #last: ViewState | null = null
  readonly #live = h('div', '', { role: 'status', 'aria-live': 'polite' })
  readonly #rows = new Map<string, FileRow>()
  /** Where the interrupted uploads go (#16): their rows load with the list, once there is one. */
  readonly interrupted = h('ul', 'list interrupted', { hidden: '' })
  #refusals: readonly FileRefusal[] | null = null
  #styled: boolean | null = null

  constructor(
    private readonly shadow: ShadowRoot,
    private readonly onRemove: (item: QueueItem) => void,
    onDismiss: () => void,
  ) {
    this.#dismiss.addEventListener('click', onDismiss)
    this.root.setAttribute('part', 'root')
    Object.assign(this.input.style, visuallyHidden)
    Object.assign(this.#live.style, visuallyHidden)
    this.#live.setAttribute('part', 'live')
    this.#list.hidden = true // until the rows have loaded, with the first file
    const zone = h('label', 'zone', {}, this.input, icon(UPLOAD_ICON, 28), this.#prompt, this.#hint)
    this.root.append(this.interrupted, zone, this.#refusalBox, this.#list, this.#live)
    shadow.append(this.root)
  }

  render(state: ViewState): void {
    const { queue, messages: m, multiple, disabled } = state
    const root = this.root
    if (this.#styled !== !state.unstyled) {
      this.#styled = !state.unstyled
      this.shadow.adoptedStyleSheets = this.#styled ? [defaultSheet()] : []
    }
    root.className = state.unstyled ? '' : 'partwise'
    root.dataset.status = queue.status
    flag(root, 'data-dragging', state.dragging)
    flag(root, 'data-drag-reject', state.dragReject)
    flag(root, 'data-disabled', disabled)
    this.input.multiple = multiple
    this.input.disabled = disabled
    if (state.accept) this.input.accept = state.accept
    else this.input.removeAttribute('accept')
    text(
      this.#prompt,
      state.dragging ? (state.dragReject ? m.dragReject : m.dragActive) : m.prompt(multiple),
    )
    const hint = m.hint(state.accept, multiple ? state.maxFiles : undefined)
    text(this.#hint, hint)
    flag(this.#hint, 'hidden', !hint)
    this.#renderRefusals(state.refusals, m, multiple ? state.maxFiles : 1)
    this.#renderLines(state.lines)
    this.#last = state
    const parts = this.#parts
    if (parts) {
      this.#renderList(queue.items, m, parts.Row)
      parts.line.update(queue, m, multiple)
    } else if (queue.items.length > 0 && !this.#loading) {
      // Loaded with the first file, then drawn from the latest state.
      this.#loading = true
      void import('./file-parts.ts').then(({ FileRow, QueueLine }) => {
        const line = new QueueLine(() => this.input.focus())
        this.#list.after(line.element)
        this.#parts = { Row: FileRow, line }
        if (this.#last) this.render(this.#last)
      })
    }
  }

  #renderRefusals(
    refusals: readonly FileRefusal[],
    m: UploadMessages,
    maxFiles: number | undefined,
  ): void {
    flag(this.#refusalBox, 'hidden', refusals.length === 0)
    text(this.#dismiss, m.dismiss)
    if (refusals === this.#refusals) return
    this.#refusals = refusals
    this.#refused.replaceChildren(...refusals.map((r) => h('li', '', {}, m.refused(r, maxFiles))))
  }

  /** Rows are kept by id: a file that moves keeps its elements, and focus on its buttons. */
  #renderList(items: readonly QueueItem[], m: UploadMessages, Row: typeof FileRow): void {
    flag(this.#list, 'hidden', items.length === 0)
    this.#list.setAttribute('aria-label', m.files)
    const ids = new Set(items.map((item) => item.id))
    for (const [id, row] of this.#rows) {
      if (ids.has(id)) continue
      row.dispose()
      row.element.remove()
      this.#rows.delete(id)
    }
    for (const item of items) {
      let row = this.#rows.get(item.id)
      if (!row) {
        row = new Row(item, this.onRemove)
        this.#rows.set(item.id, row)
      }
      row.update(item, m)
      // Appending an element already in place moves nothing (and keeps focus): only new rows move.
      if (row.element.parentNode !== this.#list) this.#list.append(row.element)
    }
  }

  /** Appended, never rewritten: a line a screen reader has not read yet stays. */
  #renderLines(lines: readonly Announcement[]): void {
    const kept = new Set(lines.map((line) => String(line.id)))
    for (const p of [...this.#live.children]) {
      if (!kept.has((p as HTMLElement).dataset.line ?? '')) p.remove()
    }
    const last = Number((this.#live.lastElementChild as HTMLElement | null)?.dataset.line ?? 0)
    for (const line of lines) {
      if (line.id > last) this.#live.append(h('p', '', { 'data-line': String(line.id) }, line.text))
    }
  }
}
