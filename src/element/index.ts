/**
 * partwise/element: `<partwise-upload>`, the upload control for plain HTML and any framework.
 * Importing it defines the element once (a second import, or a second copy of the library,
 * leaves the first definition alone), and does nothing where there is no DOM (server rendering).
 */
import type { Media, UploadError, UploadSnapshot } from '../core/index.ts'
import type { QueueItem, QueueState } from '../ui/queue-types.ts'
import { PartwiseUpload } from './partwise-upload.ts'

export type { BeforeUpload, BeforeUploadResult, UploadMetadata } from '../ui/before-upload.ts'
export type { FileRefusal } from '../ui/drop-rules.ts'
export type {
  QueueItem,
  QueueState,
  UploadContext,
  UploadQueueOptions,
} from '../ui/queue-types.ts'
export { defaultElementMessages, type ElementMessages } from './messages.ts'
export { PartwiseUpload }

/** The element's events and their `detail`: `(event as PartwiseUploadEventMap['upload-success'])`. */
export interface PartwiseUploadEventMap {
  /** A file leaves the queue for the wire: its queue item. */
  'upload-start': CustomEvent<QueueItem>
  /** Bytes moved for a file, about once a frame: its upload's snapshot. */
  'upload-progress': CustomEvent<UploadSnapshot>
  'upload-success': CustomEvent<Media>
  /** A failure, a refusal by the conditions (code `conditions_failed`) included. */
  'upload-error': CustomEvent<UploadError>
  'queue-change': CustomEvent<QueueState>
}

declare global {
  interface HTMLElementTagNameMap {
    'partwise-upload': PartwiseUpload
  }
}

if (typeof customElements !== 'undefined' && !customElements.get('partwise-upload')) {
  customElements.define('partwise-upload', PartwiseUpload)
}
