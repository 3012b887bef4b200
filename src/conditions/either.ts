import type { EitherContext } from './refusal-messages.ts'
import type {
  Combinator,
  ConditionFailure,
  ConditionKey,
  ConditionNode,
  ConditionOperator,
  FileKind,
} from './types.ts'
import { A_KIND, NAMES, noun, ruleWords } from './words.ts'

/**
 * The English sentence for a `||` group that no branch met: what the rule asks, as a person
 * would say it, then what the file is, in the terms that made each branch fail and no others:
 * "The file must be an image up to 4000 px wide, or any file up to 64 MB; this file is 70 MB
 * and not an image". It never names a property no branch failed on (the width of a file that
 * is not an image).
 */
export function either(context: EitherContext): string {
  const { group, props } = context
  const options = spread(group, '||').map((node) => alternative(node, context))
  return `The file must be ${options.join(', or ')}; ${facts(context, noun(props.kind))}`
}

const AS: Record<ConditionOperator, string> = {
  '<=': 'up to',
  '<': 'under',
  '>=': 'at least',
  '>': 'over',
  '==': 'exactly',
  '!=': 'not exactly',
}
const ADJECTIVE: Partial<Record<ConditionKey, string>> = {
  width: ' wide',
  height: ' tall',
  duration: ' long',
}
/** The order the file's facts are said in. */
const ORDER: readonly ConditionKey[] = [
  'filesize',
  'width',
  'height',
  'duration',
  'mimetype',
  'kind',
]

/** A group's children, with nested groups of the same combinator taken in. */
const spread = (node: ConditionNode, combinator: Combinator): ConditionNode[] =>
  node.type === 'group' && node.combinator === combinator
    ? node.children.flatMap((child) => spread(child, combinator))
    : [node]

const list = (words: readonly string[]): string =>
  words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`

/** One branch as a noun phrase: "an image up to 4000 px wide", "any file up to 64 MB". */
function alternative(node: ConditionNode, context: EitherContext): string {
  let head = 'any file'
  const rest: string[] = []
  const clauses: string[] = []
  for (const child of spread(node, '&&')) {
    if (child.type === 'group') {
      rest.push(
        `(${spread(child, '||')
          .map((option) => alternative(option, context))
          .join(' or ')})`,
      )
      continue
    }
    const { key, operator, value } = child.rule
    const negated = operator === '!=' ? 'not ' : ''
    if (key === 'kind' && !negated && head === 'any file') head = A_KIND[value as FileKind]
    // Said last, as a clause: "any file up to 64 MB that is not a video".
    else if (key === 'kind') clauses.push(negated + A_KIND[value as FileKind])
    else if (key === 'mimetype') rest.push(`${negated}of type ${value}`)
    else {
      const limit = ruleWords(child.rule, context.props[key] ?? value, context.messages)[1]
      rest.push(`${AS[operator]} ${limit}${ADJECTIVE[key] ?? ''}`)
    }
  }
  const that = clauses.length > 0 ? ` that is ${list(clauses)}` : ''
  return `${rest.length > 0 ? `${head} ${list(rest)}` : head}${that}`
}

/** "this file is 70 MB and not an image": the file's side of every rule a branch failed on. */
function facts({ branches, props, messages }: EitherContext, called: string): string {
  const said = new Map<ConditionKey, string>()
  const wanted = new Set<string>()
  const visit = (failure: ConditionFailure): void => {
    if (failure.code === 'no_branch_held') {
      failure.branches.flat().forEach(visit)
      return
    }
    const { rule, actual } = failure
    if (rule.key === 'kind' && rule.operator === '==') wanted.add(A_KIND[rule.value as FileKind])
    if (said.has(rule.key)) return
    said.set(
      rule.key,
      actual === null
        ? `of unknown ${NAMES[rule.key]}`
        : rule.key === 'mimetype'
          ? `of type ${actual}`
          : // A media kind is in the noun ("this video"); another is said by what it is not.
            rule.key === 'kind'
            ? ''
            : `${ruleWords(rule, actual, messages)[0]}${ADJECTIVE[rule.key] ?? ''}`,
    )
  }
  branches.flat().forEach(visit)
  if (props.kind === 'other' && said.get('kind') === '' && wanted.size > 0) {
    said.set('kind', `not ${[...wanted].join(' or ')}`)
  }
  const known = ORDER.flatMap((key) => said.get(key) || [])
  return known.length > 0
    ? `this ${called} is ${list(known)}`
    : `this is ${A_KIND[props.kind ?? 'other']}`
}
