/**
 * Everything Node, for this repository's tests, scripts and Storybook: the backend helper, the
 * reference upload server and its Vite plugin. The package ships them as three entries, so that
 * each user reads and bundles only their own: `partwise/server` (backend/index.ts: the helper,
 * nothing heavy), `partwise/reference-server` (reference.ts) and `partwise/vite` (vite.ts).
 * Never imported by the browser entries.
 */

export {
  type CreateUploadSessionOptions,
  createUploadSession,
  type PartLimitsField,
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
