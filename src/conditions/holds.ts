import type { ConditionNode, MediaProps, Rule } from './types.ts'

/**
 * Whether a file passes, with no words: what the browser asks first, so that the words that
 * explain a refusal load only for a file that is refused. Agrees with `evaluateConditions`
 * returning `[]`: a missing or null property fails.
 */
export const passes = (node: ConditionNode, props: MediaProps): boolean =>
  node.type === 'rule'
    ? props[node.rule.key] != null && holds(node.rule, props[node.rule.key] as string | number)
    : node.combinator === '&&'
      ? node.children.every((child) => passes(child, props))
      : node.children.some((child) => passes(child, props))

export function holds({ key, operator, value }: Rule, actual: string | number): boolean {
  const equal = key === 'mimetype' ? mimeMatches(String(actual), String(value)) : actual === value
  if (operator === '==') return equal
  if (operator === '!=') return !equal
  // The parser allows ordering only on the numeric keys.
  const a = Number(actual)
  const b = Number(value)
  if (operator === '<') return a < b
  if (operator === '<=') return a <= b
  if (operator === '>') return a > b
  return a >= b
}

/** `video/*` matches every video type; parameters (`;codecs=…`) and case are ignored. */
function mimeMatches(actual: string, pattern: string): boolean {
  const type = actual.split(';')[0]?.trim().toLowerCase() ?? ''
  return pattern.endsWith('/*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern
}
