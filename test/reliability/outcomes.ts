import type { UploadErrorCode } from '../../src/core/index.ts'

/**
 * The error codes that claim the file is not stored. Since #13, an upload whose completion was
 * sent but never answered ends with an error of its own ("the upload may have completed"):
 * any code outside this list. A stored file may end with that one, never with one of these.
 */
export const DEFINITE_FAILURES: ReadonlySet<UploadErrorCode> = new Set<UploadErrorCode>([
  'conditions_failed',
  'invalid_conditions',
  'invalid_options',
  'http_error',
  'network_error',
  'protocol_error',
  'session_error',
  'file_unreadable',
  'cancelled',
])
