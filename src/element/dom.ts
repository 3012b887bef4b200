import { type BarCounts, barValues, type Control } from '../ui/file-view.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

/**
 * The few DOM helpers the element builds with. Every element gets a `part` name (its
 * `::part()`) and, for the default stylesheet, the class `<Upload />` gives the same piece.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  part: string,
  attributes: Record<string, string> = {},
  ...children: Array<Node | string>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (part) {
    element.setAttribute('part', part)
    element.className = part
      .split(' ')
      .map((p) => `partwise__${p}`)
      .join(' ')
  }
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  element.append(...children)
  return element
}

/** Sets or removes a boolean attribute (`data-dragging`, `hidden`). */
export function flag(element: Element, name: string, on: boolean): void {
  element.toggleAttribute(name, on)
}

/** Sets text only when it changed: a live screen reader hears no rewrite of the same words. */
export function text(node: Node, value: string): void {
  if (node.textContent !== value) node.textContent = value
}

/** Decorative icons, as `<Upload />` draws them. */
export function icon(path: string, size: number): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  for (const [name, value] of Object.entries({
    viewBox: '0 0 24 24',
    width: String(size),
    height: String(size),
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '1.5',
    'aria-hidden': 'true',
  })) {
    svg.setAttribute(name, value)
  }
  const shape = document.createElementNS(ns, 'path')
  shape.setAttribute('d', path)
  svg.append(shape)
  return svg
}

export const UPLOAD_ICON = 'M12 16V4m0 0L7 9m5-5 5 5M4 16v4h16v-4'
export const FILE_ICON = 'M6 2h8l5 5v15H6z M14 2v5h5'

/**
 * A `role="progressbar"` div, as `<Upload />`'s ProgressBar: the native `<progress>` cannot be
 * styled alike across engines. `setBar` updates it.
 */
export function bar(): HTMLDivElement {
  return h(
    'div',
    'bar',
    { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' },
    h('span', 'fill'),
  )
}

export function setBar(
  element: HTMLElement,
  label: string,
  counts: BarCounts,
  m: UploadMessages,
): void {
  const { fraction, percent, text } = barValues(counts, m)
  element.setAttribute('aria-label', label)
  element.setAttribute('aria-valuenow', String(percent))
  element.setAttribute('aria-valuetext', text)
  const fill = element.firstElementChild as HTMLElement
  fill.style.width = `${fraction * 100}%`
}

/** A button whose words and action change in place, so focus stays on it (see `fileView`). */
export class Slot {
  readonly button = h('button', 'button', { type: 'button' })
  #action: () => void = () => undefined

  constructor() {
    this.button.addEventListener('click', () => this.#action())
  }

  set(control: Control | null, name: string, m: UploadMessages): void {
    flag(this.button, 'hidden', !control)
    if (!control) return
    const [word, action] = control
    this.#action = action
    text(this.button, word)
    this.button.setAttribute('aria-label', m.buttonLabel(word, name))
  }
}
