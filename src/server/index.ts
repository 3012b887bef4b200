/**
 * `partwise/server`: Node only. The backend helper that asks for an upload URL, and the
 * reference upload server that speaks the protocol on loopback for the demo, tests and
 * benchmarks. Never imported by the browser entries.
 */
export {
  type CreateUploadSessionOptions,
  createUploadSession,
  UploadSessionError,
  type UploadSessionResult,
} from './client.ts'
export { enforceConditions } from './conditions.ts'
export type { FaultRule } from './faults.ts'
export { createUploadServer } from './server.ts'
export type { RequestRecord, UploadStats } from './stats.ts'
export type {
  ManifestPart,
  MediaKind,
  MediaObject,
  Metadata,
  MetadataValue,
  SourceObject,
  UploadServer,
  UploadServerOptions,
} from './types.ts'
