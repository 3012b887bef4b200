/**
 * Helpers for `<partwise-upload>` in Chromium: mount one in the page with attributes and
 * properties, and reach inside its (open) shadow root the way the tests need to.
 */
import { vi } from 'vitest'
import '../../src/element/index.ts'
import type { PartwiseUpload } from '../../src/element/index.ts'
import type { UploadQueueOptions } from '../../src/ui/queue-types.ts'
import { createSession } from './server.ts'

export const PART = 64 * 1024

/** Every test's options: one upload URL per file from the reference server, no resume record. */
export const testOptions = (
  extra: Partial<UploadQueueOptions> = {},
): Partial<UploadQueueOptions> => ({
  resume: false,
  ...extra,
})

export const getUrl = async (): Promise<string> => (await createSession()).url

/** Mounts an element; `url` defaults to a session per file from the reference server. */
export function mount(
  attributes: Record<string, string> = {},
  properties: Partial<Pick<PartwiseUpload, 'url' | 'conditions' | 'messages' | 'options'>> = {},
  parent: HTMLElement = document.body,
): PartwiseUpload {
  const element = document.createElement('partwise-upload')
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value)
  element.setAttribute('chunk-size', attributes['chunk-size'] ?? String(PART))
  element.url = properties.url ?? getUrl
  element.options = properties.options ?? testOptions()
  if (properties.conditions) element.conditions = properties.conditions
  if (properties.messages) element.messages = properties.messages
  parent.append(element)
  return element
}

export const shadowOf = (element: PartwiseUpload): ShadowRoot => element.shadowRoot as ShadowRoot
export const inputOf = (element: PartwiseUpload): HTMLInputElement =>
  shadowOf(element).querySelector('input[type=file]') as HTMLInputElement
export const rootOf = (element: PartwiseUpload): HTMLElement =>
  shadowOf(element).querySelector('[part~=root]') as HTMLElement

/** The file's row, once it is shown. */
export async function itemOf(element: PartwiseUpload, name: string): Promise<HTMLElement> {
  return vi.waitFor(
    () => {
      const rows = [...shadowOf(element).querySelectorAll<HTMLElement>('li[part~=item]')]
      const row = rows.find((li) => li.querySelector('[part~=name]')?.textContent === name)
      if (!row) throw new Error(`no row for ${name}`)
      return row
    },
    { timeout: 10_000 },
  )
}

/** Waits for a file's status; on failure the message shows the row's text, which says why. */
export async function statusOf(
  element: PartwiseUpload,
  name: string,
  status: string,
  timeout = 15_000,
): Promise<HTMLElement> {
  const row = await itemOf(element, name)
  await vi.waitFor(
    () => {
      if (row.dataset.status !== status) {
        throw new Error(`${name} is ${row.dataset.status}, not ${status}: ${row.textContent}`)
      }
    },
    { timeout },
  )
  return row
}

/** The button of a file's row with this accessible name ("Pause a.bin"). */
export function buttonOf(element: PartwiseUpload, label: string): HTMLButtonElement {
  const button = shadowOf(element).querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`)
  if (!button || button.hidden) throw new Error(`no button ${label}`)
  return button
}

export function transfer(...files: File[]): DataTransfer {
  const data = new DataTransfer()
  for (const file of files) data.items.add(file)
  return data
}

export const drag = (type: string, target: Element, data: DataTransfer): boolean =>
  target.dispatchEvent(
    new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true, composed: true }),
  )

/** The element's events of one type, as they come. */
export function events<T>(element: EventTarget, type: string): T[] {
  const seen: T[] = []
  element.addEventListener(type, (event) => seen.push((event as CustomEvent<T>).detail))
  return seen
}
