import type { UploadErrorCode } from './errors.ts'

/** Failures that trying again cannot fix: the file, the conditions or the options must change. */
export const isPermanent = (code: UploadErrorCode): boolean =>
  code === 'conditions_failed' || code === 'invalid_conditions' || code === 'invalid_options'
