import { holds } from './holds.ts'
import { type ConditionMessages, defaultMessages, type MessageContext } from './refusal-messages.ts'
import type { ConditionFailure, ConditionNode, MediaProps, Rule, RuleFailure } from './types.ts'
import { ruleWords } from './words.ts'

/**
 * Tests what is known of a file against a condition tree. Pure, with no DOM: the server runs
 * it on the props it reads itself. Returns one failure per reason; `[]` means the file passes.
 * Under `&&` each failed rule is a reason; a `||` group that fails is one reason, with the
 * failures of every branch and one sentence for the whole group (`either`), since no single
 * branch was required. A property that is missing or null fails as `unreadable`, never passes.
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

/** Unreadable because a file of the wrong kind has none: said by the kind's own failure. */
const followsKind = (f: ConditionFailure, kindFailed: boolean) =>
  kindFailed && f.code === 'unreadable' && /^[wdh]/.test(f.rule.key)

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
  if (node.combinator === '&&' || branches.length < 2) {
    const all = branches.flat()
    // "Only images are accepted" (or "could not tell the kind") says it all: "could not read
    // its width" would be noise. Keys: kind, mimetype; width, height, duration.
    const kindFailed = all.some((f) => f.code !== 'no_branch_held' && /^[km]/.test(f.rule.key))
    return all.filter((f) => !followsKind(f, kindFailed))
  }
  if (branches.some((failures) => failures.length === 0)) return []
  const message = text.either({ group: node, branches, props, messages: text })
  return [{ code: 'no_branch_held', group: node, branches, message }]
}

function checkRule(rule: Rule, props: MediaProps, text: ConditionMessages): RuleFailure | null {
  const actual = props[rule.key] ?? null
  const kind = props.kind ?? null
  if (actual === null) {
    const context = { rule, actual, value: '', limit: ruleWords(rule, rule.value, text)[1], kind }
    return { code: 'unreadable', rule, actual, message: text.unreadable(context) }
  }
  if (holds(rule, actual)) return null
  const [value, limit] = ruleWords(rule, actual, text)
  const context: MessageContext = { rule, actual, value, limit, kind }
  return { code: 'rule_failed', rule, actual, message: text[rule.key](context) }
}
