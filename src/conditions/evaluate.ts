import { type ConditionMessages, defaultMessages, type MessageContext } from './refusal-messages.ts'
import type { ConditionFailure, ConditionNode, MediaProps, Rule } from './types.ts'

/**
 * Tests what is known of a file against a condition tree. Pure, with no DOM: the server runs
 * it on the props it reads itself. Returns one failure per failed rule; `[]` means the file
 * passes. A group `||` that fails reports the failures of every branch, so a UI can say why no
 * branch held. A property that is missing or null fails as `unreadable`, never passes.
 */
export function evaluateConditions(
  node: ConditionNode,
  props: MediaProps,
  messages: Partial<ConditionMessages> = {},
  options: EvaluateOptions = {},
): ConditionFailure[] {
  return failuresOf(node, props, { ...defaultMessages, ...messages }, options.unmeasured ?? 'fail')
}

export interface EvaluateOptions {
  /**
   * What a rule on a property that was never measured (absent from `props`, unlike `null`,
   * which means "tried and could not read") does. The browser measures everything a rule
   * needs, so there it fails. A server that cannot decode some media passes `'pass'`: those
   * rules were the client's to check, and a server that refused them would refuse every file.
   * @default 'fail'
   */
  unmeasured?: 'fail' | 'pass'
}

function failuresOf(
  node: ConditionNode,
  props: MediaProps,
  text: ConditionMessages,
  unmeasured: 'fail' | 'pass',
): ConditionFailure[] {
  if (node.type === 'rule') {
    if (unmeasured === 'pass' && props[node.rule.key] === undefined) return []
    const failure = checkRule(node.rule, props, text)
    return failure ? [failure] : []
  }
  const branches = node.children.map((child) => failuresOf(child, props, text, unmeasured))
  if (node.combinator === '||' && branches.some((failures) => failures.length === 0)) return []
  return branches.flat()
}

function checkRule(
  rule: Rule,
  props: MediaProps,
  text: ConditionMessages,
): ConditionFailure | null {
  const actual = props[rule.key] ?? null
  const kind = props.kind ?? null
  if (actual === null) {
    const context = { rule, actual, value: '', limit: describe(rule, rule.value, text), kind }
    return { code: 'unreadable', rule, actual, message: text.unreadable(context) }
  }
  if (holds(rule, actual)) return null
  let value = describe(rule, actual, text)
  let limit = describe(rule, rule.value, text)
  // "The file is 100 MB; the limit is 100 MB" explains nothing: say it precisely.
  if (value === limit && actual !== rule.value) {
    value = describe(rule, actual, text, true)
    limit = describe(rule, rule.value, text, true)
  }
  const context: MessageContext = { rule, actual, value, limit, kind }
  return { code: 'rule_failed', rule, actual, message: text[rule.key](context) }
}

function holds({ key, operator, value }: Rule, actual: string | number): boolean {
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

function describe(rule: Rule, v: string | number, text: ConditionMessages, exact = false): string {
  if (typeof v === 'string') return v
  if (rule.key === 'filesize') return text.formatBytes(v, exact)
  if (rule.key === 'duration') return text.formatDuration(v, exact)
  return text.formatPixels(v)
}
