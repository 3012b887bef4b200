/**
 * `partwise/reference-server`: a Node server that speaks docs/PROTOCOL.md (from code, or as the
 * `partwise-server` command). Its parsers (busboy, file-type, image-size, mp4box,
 * music-metadata) and SQLite are optional peer dependencies: an app that only uploads from the
 * browser, or only calls `createUploadSession`, installs none of them.
 */

export type { FaultRule } from './control/faults.ts'
export type { RequestRecord, UploadStats } from './control/stats.ts'
export { runCli } from './dev/cli.ts'
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
