import { checkFile } from './check.ts'
import { ConditionsError } from './errors.ts'
import { parseConditions } from './parse.ts'
import type { ConditionMessages } from './refusal-messages.ts'
import type { ConditionFailure, Conditions } from './types.ts'

/** The refusal: one failure's message as it is, several joined after a common opening. */
function conditionsError(errors: readonly ConditionFailure[]): ConditionsError {
  const message =
    errors.length === 1
      ? (errors[0]?.message ?? 'The file does not meet the upload conditions')
      : `The file does not meet the upload conditions: ${errors.map((e) => e.message).join('; ')}`
  return new ConditionsError('conditions_failed', message, errors)
}

/**
 * What the upload engine calls before any byte is sent: parses `conditions`, checks the file,
 * and resolves with why it may not be sent: `invalid_conditions` for malformed conditions,
 * `conditions_failed` with the failures for a file that does not meet them; null when it
 * passes. A `ConditionsError`, returned rather than thrown, which the core wraps into an
 * `UploadError`. Lives here, in the lazily loaded chunk, so an app without conditions never
 * downloads any of it.
 */
export async function enforceConditions(
  file: Blob,
  conditions: Conditions,
  messages: Partial<ConditionMessages> = {},
): Promise<ConditionsError | null> {
  try {
    const failures = await checkFile(file, parseConditions(conditions), { messages })
    return failures.length > 0 ? conditionsError(failures) : null
  } catch (error) {
    if (error instanceof ConditionsError) return error
    throw error
  }
}
