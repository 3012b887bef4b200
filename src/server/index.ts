/**
 * `partwise/server`: Node only. The backend helper that asks for an upload URL, and the
 * reference upload server that speaks the protocol on loopback for the demo, tests and
 * benchmarks (from code, as the `partwise-server` command, or as a Vite plugin). Never
 * imported by the browser entries.
 */

export {
  type CreateUploadSessionOptions,
  createUploadSession,
  UploadSessionError,
  type UploadSessionResult,
} from './backend/create-upload-session.ts'
export type { FaultRule } from './control/faults.ts'
export type { RequestRecord, UploadStats } from './control/stats.ts'
export { runCli } from './dev/cli.ts'
export {
  type PartwiseServerPluginOptions,
  partwiseServer,
  type SessionDefaults,
} from './dev/vite-plugin.ts'
export { createUploadServer } from './server.ts'
export type {
  FileObject,
  ManifestPart,
  MediaKind,
  MediaObject,
  Metadata,
  MetadataValue,
  SourceObject,
  UploadServer,
  UploadServerOptions,
} from './types.ts'
export { enforceConditions } from './uploads/conditions.ts'
