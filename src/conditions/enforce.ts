import { UploadError } from '../core/errors.ts'
import { checkFile } from './check.ts'
import type { ConditionMessages } from './messages.ts'
import { parseConditions } from './parse.ts'
import type { ConditionFailure, Conditions } from './types.ts'

/** The refusal: one failure's message as it is, several joined after a common opening. */
function conditionsError(file: Blob, errors: readonly ConditionFailure[]): UploadError {
  const message =
    errors.length === 1
      ? (errors[0]?.message ?? 'The file does not meet the upload conditions')
      : `The file does not meet the upload conditions: ${errors.map((e) => e.message).join('; ')}`
  return new UploadError('conditions_failed', message, { refusal: { file, errors } })
}

/**
 * What the upload engine calls before any byte is sent: parses `conditions` (malformed ones
 * reject with `invalid_conditions`), checks the file, and rejects with `conditions_failed`
 * and the refusal when it does not meet them. Lives here, in the lazily loaded chunk, so an
 * app without conditions never downloads any of it.
 */
export async function enforceConditions(
  file: Blob,
  conditions: Conditions,
  messages: Partial<ConditionMessages> = {},
): Promise<void> {
  const failures = await checkFile(file, parseConditions(conditions), { messages })
  if (failures.length > 0) throw conditionsError(file, failures)
}
