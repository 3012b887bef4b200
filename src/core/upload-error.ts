import { UploadError, type UploadErrorCode } from './errors.ts'

/** Any thrown value as an UploadError; `prefix` says what was being done. */
export function toUploadError(
  error: unknown,
  code: UploadErrorCode = 'protocol_error',
  prefix?: string,
): UploadError {
  if (error instanceof UploadError) return error
  const reason = error instanceof Error ? error.message : 'no response'
  return new UploadError(code, prefix ? `${prefix}: ${reason}` : reason, { cause: error })
}
