import { ConditionsError } from './errors.ts'
import type { Combinator, ConditionKey, ConditionNode, ConditionOperator, Rule } from './types.ts'

const KEYS: readonly ConditionKey[] = [
  'kind',
  'mimetype',
  'filesize',
  'width',
  'height',
  'duration',
]
const OPERATORS: readonly ConditionOperator[] = ['==', '!=', '>', '<', '>=', '<=']
const COMBINATORS: readonly Combinator[] = ['&&', '||']
const KINDS = ['image', 'video', 'audio'] as const
const UNITS: Partial<Record<ConditionKey, string>> = {
  filesize: 'bytes',
  width: 'pixels',
  height: 'pixels',
  duration: 'seconds',
}
/** `type/subtype` or `type/*`, with the characters RFC 6838 allows in a name. */
const MIME = /^[\w!#$&^.+-]+\/(?:[\w!#$&^.+-]+|\*)$/
/**
 * Far deeper than any real condition, and shallow enough that conditions from an untrusted
 * session response cannot exhaust the stack.
 */
const MAX_DEPTH = 16

/**
 * Validates conditions in either shape of the upload guide and returns one normalised tree.
 * Anything malformed throws, naming the problem and where it is: a rule that cannot be
 * understood must never pass silently.
 */
export function parseConditions(input: unknown): ConditionNode {
  return parseNode(input, 'conditions', 0)
}

/** The `&&` of conditions from several sources (the options and the session); null if none. */
export function combineConditions(nodes: readonly ConditionNode[]): ConditionNode | null {
  if (nodes.length < 2) return nodes[0] ?? null
  return { type: 'group', combinator: '&&', children: [...nodes] }
}

/** The keys a tree tests: what a probe must read, and nothing more. */
export function neededProps(node: ConditionNode): Set<ConditionKey> {
  const keys = new Set<ConditionKey>()
  const visit = (n: ConditionNode): void => {
    if (n.type === 'rule') keys.add(n.rule.key)
    else n.children.forEach(visit)
  }
  visit(node)
  return keys
}

function parseNode(input: unknown, path: string, depth: number): ConditionNode {
  // The array shape is an implicit `&&`.
  if (Array.isArray(input)) return parseGroup('&&', input, path, depth)
  if (!isRecord(input)) fail(path, `expected a rule or a group, got ${show(input)}`)
  if (!('rules' in input)) return { type: 'rule', rule: parseRule(input, path) }
  allowOnly(input, ['operator', 'rules'], path)
  const { operator, rules } = input
  if (!oneOf(COMBINATORS, operator)) {
    fail(`${path}.operator`, `${show(operator)} is not one of ${COMBINATORS.join(', ')}`)
  }
  if (!Array.isArray(rules)) fail(`${path}.rules`, `expected an array, got ${show(rules)}`)
  return parseGroup(operator, rules, `${path}.rules`, depth)
}

function parseGroup(
  combinator: Combinator,
  items: readonly unknown[],
  path: string,
  depth: number,
): ConditionNode {
  if (depth >= MAX_DEPTH) fail(path, `groups nested more than ${MAX_DEPTH} deep`)
  // An empty `&&` would accept everything and an empty `||` nothing: both are mistakes.
  if (items.length === 0) fail(path, 'empty group; give at least one rule')
  const children = items.map((item, i) => parseNode(item, `${path}[${i}]`, depth + 1))
  return { type: 'group', combinator, children }
}

function parseRule(input: Record<string, unknown>, path: string): Rule {
  const hasKey = 'key' in input
  if (hasKey === 'prop' in input) {
    fail(path, hasKey ? "has both 'key' and 'prop'; give one" : "missing 'key' (or 'prop')")
  }
  const field = hasKey ? 'key' : 'prop'
  allowOnly(input, [field, 'operator', 'value'], path)
  const named = input[field]
  const key = named === 'type' ? 'mimetype' : named
  if (!oneOf(KEYS, key)) {
    fail(`${path}.${field}`, `${show(named)} is not one of ${KEYS.join(', ')}, type`)
  }
  const { operator, value } = input
  if (!oneOf(OPERATORS, operator)) {
    fail(`${path}.operator`, `${show(operator)} is not one of ${OPERATORS.join(', ')}`)
  }
  const at = `${path}.value`
  if (key === 'kind' || key === 'mimetype') {
    if (operator !== '==' && operator !== '!=') {
      fail(`${path}.operator`, `'${operator}' cannot compare ${key}; use == or !=`)
    }
    if (key === 'kind' && !oneOf(KINDS, value)) {
      fail(at, `${show(value)} is not one of ${KINDS.join(', ')}`)
    }
    if (typeof value !== 'string' || (key === 'mimetype' && !MIME.test(value))) {
      fail(at, `${show(value)} is not a MIME type like 'video/mp4' or 'video/*'`)
    }
    // MIME types are case-insensitive (RFC 2045 §5.1).
    return { key, operator, value: value.toLowerCase() }
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail(at, `${show(value)} is not a finite number of ${UNITS[key]}, 0 or more`)
  }
  return { key, operator, value }
}

function allowOnly(input: Record<string, unknown>, allowed: readonly string[], path: string) {
  for (const name of allowed) if (!(name in input)) fail(`${path}.${name}`, 'missing')
  for (const name of Object.keys(input)) {
    // A stray property is often a misspelt one (`values`, `op`): refuse rather than ignore it.
    if (!allowed.includes(name)) fail(path, `unknown property '${name}'`)
  }
}

function oneOf<T>(list: readonly T[], value: unknown): value is T {
  return (list as readonly unknown[]).includes(value)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (!isRecord(value)) return String(value)
  try {
    return JSON.stringify(value).slice(0, 60)
  } catch {
    // A BigInt or a cycle, from conditions built in code rather than read from JSON.
    return 'an object'
  }
}

function fail(path: string, problem: string): never {
  throw new ConditionsError('invalid_conditions', `${path}: ${problem}`)
}
