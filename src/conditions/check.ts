import { type ProbeOptions, probeFile } from './browser-probe.ts'
import { passes } from './holds.ts'
import { neededProps } from './parse.ts'
import type { ConditionMessages } from './refusal-messages.ts'
import type { ConditionFailure, ConditionNode } from './types.ts'

export interface CheckOptions extends ProbeOptions {
  /** Replaces some or all of the messages, for translation. */
  messages?: Partial<ConditionMessages> | undefined
}

/**
 * Probes what the conditions need of a file and tests it; `[]` means it passes. A file whose
 * conditions need no media probe (size, or a type the browser gives) is answered without any
 * slow wait. The words that explain a refusal load only for a file that is refused: most pass.
 */
export async function checkFile(
  file: Blob,
  node: ConditionNode,
  options: CheckOptions = {},
): Promise<ConditionFailure[]> {
  const props = await probeFile(file, neededProps(node), options)
  if (passes(node, props)) return []
  const { evaluateConditions } = await import('./evaluate.ts')
  return evaluateConditions(node, props, options.messages)
}
