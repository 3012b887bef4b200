/**
 * `partwise/server`: the backend helper, for your app's server route. It imports nothing but
 * `fetch`, so a route that uses it bundles a few KB: no parser, no database driver, no Vite.
 * The reference upload server is `partwise/reference-server` (its parsers are optional peer
 * dependencies), and its Vite plugin `partwise/vite`.
 */

export type {
  FileObject,
  MediaKind,
  MediaObject,
  Metadata,
  MetadataValue,
} from '../protocol-types.ts'
export {
  type CreateUploadSessionOptions,
  createUploadSession,
  type PartLimitsField,
  UploadSessionError,
  type UploadSessionResult,
} from './create-upload-session.ts'
