import { evaluateConditions } from '../../conditions/evaluate.ts'
import { parseConditions } from '../../conditions/parse.ts'
import type { MediaProps } from '../../conditions/types.ts'
import type { SessionRecord } from '../types.ts'

/**
 * The server's own check of the session's conditions at completion (docs/PROTOCOL.md §3: "The
 * server enforces them again on its side"), with the very evaluator the browser uses. Returns
 * the refusal message (answered as 422), or null when the file may be kept.
 *
 * `props` holds what the server read from the bytes. A property it did not measure is left
 * out (not null), and rules on it pass here: they were the client's to check.
 */
export function enforceConditions(session: SessionRecord, props: MediaProps): string | null {
  if (session.conditions === null || session.conditions === undefined) return null
  const failures = evaluateConditions(
    parseConditions(session.conditions),
    props,
    {},
    {
      unmeasured: 'pass',
    },
  )
  if (failures.length === 0) return null
  return `The file does not meet the upload's conditions: ${failures.map((f) => f.message).join('; ')}`
}
