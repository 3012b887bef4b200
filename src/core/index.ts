/**
 * partwise: the framework-agnostic core. No React, no Node-only import: safe to import while
 * rendering on a server (nothing here touches `window` until an upload starts).
 */
export type { ConditionMessages, MessageContext } from '../conditions/refusal-messages.ts'
export type { ConditionFailure, Conditions, MediaProps } from '../conditions/types.ts'
export { isUploadError, type Refusal, UploadError, type UploadErrorCode } from './errors.ts'
export {
  DEFAULT_CHUNK_SIZE,
  DEFAULT_CONCURRENCY,
  type UploadOptions,
  type UploadSession,
  type UrlOption,
} from './options.ts'
export {
  localStorageStore,
  memoryStore,
  type ResumeRecord,
  type ResumeStore,
} from './resume-store.ts'
export { isActive, isEnded, isFinal, isPermanent, isSending } from './status.ts'
export type { Transport, TransportRequest, TransportResponse } from './transport.ts'
export type { Media, Upload, UploadSnapshot, UploadStatus } from './types.ts'
export { createUpload } from './upload.ts'
