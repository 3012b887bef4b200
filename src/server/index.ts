/**
 * `partwise/server`: Node only. The backend helper that asks for an upload URL, and the
 * reference upload server that speaks the protocol on loopback for the demo, tests and
 * benchmarks (from code, as the `partwise-server` command, or as a Vite plugin). Never
 * imported by the browser entries.
 */
export { runCli } from './cli.ts'
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
export {
  type PartwiseServerPluginOptions,
  partwiseServer,
  type SessionDefaults,
} from './vite-plugin.ts'
