import type { ConditionFailure } from '../core/index.ts'
import { fileView, previewKind } from '../ui/file-view.ts'
import type { QueueItem } from '../ui/queue-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { bar, FILE_ICON, flag, h, icon, Slot, setBar, text } from './dom.ts'

/**
 * One file of `<partwise-upload>`: the same pieces as `<Upload />`'s FileItem (preview, name,
 * size, progress, status, speed, time left, why it failed, two control slots), built once and
 * updated in place from each new item.
 */
export class FileRow {
  readonly element = h('li', 'item')
  readonly #preview = h('span', 'preview', { 'aria-hidden': 'true' })
  readonly #name = h('span', 'name')
  readonly #size = h('span', 'size')
  readonly #bar = bar()
  readonly #status = h('span', 'status')
  readonly #speed = h('span', 'speed')
  readonly #left = h('span', 'time-left')
  readonly #sent = h('span', 'sent')
  readonly #percent = h('span', 'percent')
  readonly #amounts = h('span', 'amounts', {}, this.#sent, ' ', this.#percent)
  readonly #errors = h('div', 'error-slot')
  readonly #primary = new Slot()
  readonly #secondary = new Slot()
  #url: string | null = null
  #failures: readonly ConditionFailure[] | null | undefined
  #message: string | null = null

  constructor(
    item: QueueItem,
    private readonly onRemove: (item: QueueItem) => void,
  ) {
    this.#errors.style.display = 'contents'
    this.#preview.append(this.#thumbnail(item.file))
    this.element.append(
      this.#preview,
      h(
        'div',
        'body',
        {},
        h('p', 'line', {}, this.#name, this.#size),
        this.#bar,
        h('p', 'line meta', {}, this.#status, this.#speed, this.#left, this.#amounts),
        this.#errors,
      ),
      h('div', 'actions', {}, this.#primary.button, this.#secondary.button),
    )
  }

  update(item: QueueItem, m: UploadMessages): void {
    const { name } = item
    const view = fileView(item, m, () => this.onRemove(item))
    this.element.dataset.status = view.shown
    this.element.setAttribute('part', `item ${view.shown}`)
    text(this.#name, name)
    text(this.#size, m.size(item.bytesTotal))
    flag(this.#bar, 'hidden', !view.bar)
    setBar(this.#bar, m.progressLabel(name), item, m)
    text(this.#status, view.word)
    flag(this.#amounts, 'hidden', !view.amounts)
    if (view.amounts) {
      text(this.#sent, view.amounts[0])
      text(this.#percent, view.amounts[1])
    }
    const speed = view.running && item.speed > 0
    flag(this.#speed, 'hidden', !speed)
    if (speed) text(this.#speed, m.speed(item.speed))
    const left = view.running && item.timeRemaining !== null
    flag(this.#left, 'hidden', !left)
    if (left && item.timeRemaining !== null) text(this.#left, m.timeRemaining(item.timeRemaining))
    this.#showErrors(view.refusal, item.error ? m.error(item.error) : null, m)
    this.#primary.set(view.primary, name, m)
    this.#secondary.set(view.secondary, name, m)
  }

  /** Revokes the preview's object URL: an unrevoked one keeps the file in memory. */
  dispose(): void {
    if (this.#url) URL.revokeObjectURL(this.#url)
    this.#url = null
  }

  #showErrors(
    refusal: readonly ConditionFailure[] | null,
    message: string | null,
    m: UploadMessages,
  ): void {
    if (refusal === this.#failures && message === this.#message) return
    this.#failures = refusal
    this.#message = message
    if (refusal) {
      const list = h('ul', 'errors')
      for (const failure of refusal) list.append(h('li', '', {}, m.refusal(failure)))
      this.#errors.replaceChildren(list)
    } else {
      this.#errors.replaceChildren(...(message ? [h('p', 'errors', {}, message)] : []))
    }
  }

  /** The image, or a video's frame at 0.1 s; an icon for anything else or anything broken. */
  #thumbnail(file: Blob): Node {
    const kind = previewKind(file.type)
    if (!kind) return icon(FILE_ICON, 24)
    this.#url = URL.createObjectURL(file)
    const media =
      kind === 'image'
        ? h('img', '', { src: this.#url, alt: '', decoding: 'async' })
        : h('video', '', { src: `${this.#url}#t=0.1`, preload: 'metadata', playsinline: '' })
    if (media instanceof HTMLVideoElement) media.muted = true
    media.addEventListener('error', () => media.replaceWith(icon(FILE_ICON, 24)), { once: true })
    return media
  }
}
