/**
 * partwise: the framework-agnostic core. No React, no Node-only import: safe to import while
 * rendering on a server (nothing here touches `window` until an upload starts).
 */
export type { ConditionMessages, MessageContext } from '../conditions/refusal-messages.ts'
export type { ConditionFailure, Conditions, MediaProps } from '../conditions/types.ts'
export { type Refusal, UploadError, type UploadErrorCode } from './errors.ts'
export type {
  ContinueOptions,
  FindInterruptedOptions,
  InterruptedSource,
  InterruptedUpload,
} from './interrupted/types.ts'
export { findInterruptedUploads } from './keep.ts'
export type { UploadOptions, UploadSession, UrlOption } from './options.ts'
export type { PartLimits } from './part-limits.ts'
// memoryStore is not exported (a test helper in resume-store.ts): its bytes paid for #16's hook.
export { localStorageStore, type ResumeRecord, type ResumeStore } from './resume-store.ts'
export type { Transport, TransportRequest, TransportResponse } from './transport.ts'
export type { Media, Upload, UploadSnapshot, UploadStatus } from './types.ts'
export { createUpload } from './upload.ts'
