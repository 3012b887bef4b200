import { findInterruptedUploads } from '../core/index.ts'
import type { Announcer } from '../ui/announcer.ts'
import { openInput } from '../ui/browse.ts'
import { InterruptedStore } from '../ui/interrupted-store.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'
import type { UploadQueue } from '../ui/upload-queue.ts'
import { InterruptedRows } from './interrupted-rows.ts'
import type { View } from './view.ts'

/** What the element lends its interrupted-uploads list. */
export interface ListParts {
  queue: UploadQueue
  announcer: Announcer
  /** The picker's input, and the `<ul>` for the rows. */
  view: View
  add(files: File[]): void
  messages(): UploadMessages
}

/**
 * `<partwise-upload>`'s interrupted-uploads list (#16): the store `<Upload />` has, and its
 * rows in the View's `<ul>`, loaded only once the core has found something to list, so an
 * element with nothing interrupted pays for none of it.
 */
export function interruptedFor(parts: ListParts, endpoint: string | null): InterruptedStore {
  const { input, interrupted: ul } = parts.view
  const list = new InterruptedStore({
    find: (endpoint) => findInterruptedUploads({ endpoint }),
    options: () => parts.queue.core,
    adopt: parts.queue.actions.adopt,
    add: parts.add,
    pick: () => openInput(input),
    announce: parts.announcer.announce,
    messages: parts.messages,
  })
  const rows = new InterruptedRows(ul, () => input.focus())
  const render = (): void => {
    const items = list.getSnapshot()
    ul.hidden = items.length === 0
    rows.render(items, parts.messages())
  }
  list.subscribe(render)
  list.setEndpoint(endpoint)
  return list
}
