/**
 * partwise/react: the hooks and the `<Upload />` component over the core. Nothing here imports
 * `@tanstack/react-query`: its integration is its own entry, `partwise/react/query`.
 */

/** The core's status vocabulary, for custom UIs: what each status means (src/core/status.ts). */
export { isActive, isEnded, isFinal, isPermanent, isRunning, isSending } from '../core/status.ts'
export type {
  BeforeUpload,
  BeforeUploadResult,
  UploadMetadata,
} from '../ui/before-upload.ts'
export type {
  InterruptedItem,
  InterruptedMessages,
  InterruptedProblem,
  InterruptedView,
} from '../ui/interrupted-types.ts'
export type { QueueMessages } from '../ui/queue-messages.ts'
export type {
  FileResult,
  QueueActions,
  QueueItem,
  QueueState,
  QueueStatus,
  QueueUrl,
  UploadContext,
  UploadQueueOptions,
} from '../ui/queue-types.ts'
export type { UploadState } from '../ui/state.ts'
export { defaultUploadMessages, type UploadMessages } from '../ui/ui-messages.ts'
export type { UploadActions } from '../ui/upload-slot.ts'
export { partwiseCss } from './styles.ts'
export { Upload, type UploadProps, type UploadRenderState } from './upload.tsx'
export {
  type DropZone,
  type DropZoneOptions,
  type FileRefusal,
  useDropZone,
} from './use-drop-zone.ts'
export {
  type InterruptedUploads,
  type InterruptedUploadsOptions,
  useInterruptedUploads,
} from './use-interrupted-uploads.ts'
export { type ResumableUpload, useResumableUpload } from './use-resumable-upload.ts'
export { type UploadQueueResult, useUploadQueue } from './use-upload-queue.ts'
