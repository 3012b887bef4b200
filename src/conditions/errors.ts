import type { ConditionFailure } from './types.ts'

/**
 * What the conditions module throws: its own type, so that it stays a leaf that the Node server
 * can load without any of the browser core. The core turns it into an `UploadError` with the
 * same code and message (and, for `conditions_failed`, the refusal).
 */
export class ConditionsError extends Error {
  override readonly name = 'ConditionsError'
  constructor(
    /** `invalid_conditions`: the conditions are malformed; `conditions_failed`: the file broke them. */
    readonly code: 'invalid_conditions' | 'conditions_failed',
    message: string,
    /** For `conditions_failed`: every rule the file broke. */
    readonly failures?: readonly ConditionFailure[],
  ) {
    super(message)
  }
}
