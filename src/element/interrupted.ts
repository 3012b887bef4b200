import { findInterruptedUploads } from '../core/index.ts'
import type { Announcer } from '../ui/announcer.ts'
import { coreOptions } from '../ui/core-options.ts'
import { InterruptedStore } from '../ui/interrupted-store.ts'
import type { QueueActions, UploadQueueOptions } from '../ui/queue-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import { InterruptedRows } from './interrupted-rows.ts'

/** What the element lends its interrupted-uploads list. */
export interface ListParts {
  queue: QueueActions
  announcer: Announcer
  input: HTMLInputElement
  /** The View's `<ul>` for the rows. */
  rows: HTMLUListElement
  options(): UploadQueueOptions
  add(files: File[]): void
  messages(): UploadMessages
}

/**
 * `<partwise-upload>`'s interrupted-uploads list (#16): the store `<Upload />` has, and its
 * rows in the View's `<ul>`, loaded only once the core has found something to list, so an
 * element with nothing interrupted pays for none of it.
 */
export function interruptedFor(parts: ListParts): InterruptedStore {
  const list = new InterruptedStore({
    find: (endpoint) => findInterruptedUploads({ endpoint }),
    options: () => coreOptions(parts.options(), (url) => url),
    adopt: parts.queue.adopt,
    add: parts.add,
    pick: () => parts.input.click(),
    announce: parts.announcer.announce,
    messages: parts.messages,
  })
  const rows = new InterruptedRows(parts.rows, () => parts.input.focus())
  const render = (): void => {
    const items = list.getSnapshot()
    parts.rows.hidden = items.length === 0
    rows.render(items, parts.messages())
  }
  list.subscribe(render)
  return list
}
