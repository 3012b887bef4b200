/**
 * partwise/element: `<partwise-upload>`, the upload control for plain HTML and any framework.
 * Importing it defines the element once (a second import, or a second copy of the library,
 * leaves the first definition alone), and does nothing where there is no DOM (server rendering).
 */
import { PartwiseUpload } from './partwise-upload.ts'

export type { FileRefusal } from '../ui/drop-rules.ts'
export type { QueueItem, QueueState, UploadQueueOptions } from '../ui/queue-types.ts'
export { defaultElementMessages, type ElementMessages } from './messages.ts'
export { PartwiseUpload }

declare global {
  interface HTMLElementTagNameMap {
    'partwise-upload': PartwiseUpload
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('partwise-upload')) {
  customElements.define('partwise-upload', PartwiseUpload)
}
