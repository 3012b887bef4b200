import { isActive } from '../core/status.ts'
import type { QueueState } from '../ui/queue-types.ts'
import type { ElementMessages } from './messages.ts'

/**
 * What the element gives its form, through `ElementInternals`: one entry under its `name` per
 * uploaded file (the media id), and a validity that holds the form back while files are still
 * on their way (paused ones too: the form would go without them) or, with `required`, until
 * one file is uploaded.
 */
export function syncForm(
  internals: ElementInternals,
  queue: QueueState,
  name: string | null,
  required: boolean,
  m: ElementMessages,
  anchor: HTMLElement,
): void {
  const ids = queue.items.flatMap((item) => (item.result ? [item.result.id] : []))
  let value: FormData | null = null
  if (name && ids.length > 0) {
    value = new FormData()
    for (const id of ids) value.append(name, id)
  }
  internals.setFormValue(value)
  const busy = queue.items.some((item) => item.queued || isActive(item.status))
  if (busy) internals.setValidity({ customError: true }, m.busy, anchor)
  else if (required && ids.length === 0) {
    internals.setValidity({ valueMissing: true }, m.required, anchor)
  } else internals.setValidity({})
}
