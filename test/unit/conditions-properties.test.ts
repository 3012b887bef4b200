import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type ConditionNode,
  ConditionsError,
  evaluateConditions,
  type MediaProps,
  parseConditions,
  type Rule,
} from '../../src/conditions/index.ts'

const NUMERIC = ['filesize', 'width', 'height', 'duration'] as const
const OPERATORS = ['==', '!=', '>', '<', '>=', '<='] as const
const size = fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e12, noNaN: true }))

/** Any valid rule, already normalised the way the parser returns it. */
const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...NUMERIC),
    operator: fc.constantFrom(...OPERATORS),
    value: size,
  }),
  fc.record({
    key: fc.constant('kind' as const),
    operator: fc.constantFrom('==' as const, '!=' as const),
    value: fc.constantFrom('image', 'video', 'audio'),
  }),
  fc.record({
    key: fc.constant('mimetype' as const),
    operator: fc.constantFrom('==' as const, '!=' as const),
    value: fc.constantFrom(
      'video/*',
      'video/mp4',
      'image/svg+xml',
      'audio/x-wav',
      'application/pdf',
    ),
  }),
)

const node: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    // Real conditions are shallow; the parser refuses more than 16 levels.
    { depthSize: 'small', maxDepth: 6, withCrossShrink: true },
    rule.map((r): ConditionNode => ({ type: 'rule', rule: r })),
    fc.record({
      type: fc.constant('group' as const),
      combinator: fc.constantFrom('&&' as const, '||' as const),
      children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).node

interface Coin {
  nextBool(): boolean
}
const coins: fc.Arbitrary<Coin> = fc.infiniteStream(fc.boolean()).map((stream) => {
  const it = stream[Symbol.iterator]()
  return { nextBool: () => it.next().value as boolean }
})

/** Writes a tree back as conditions, picking at random between the shapes the guide allows. */
function write(n: ConditionNode, coin: Coin): unknown {
  const pick = () => coin.nextBool()
  if (n.type === 'rule') {
    const { key, operator, value } = n.rule
    const name = key === 'mimetype' && pick() ? 'type' : key
    return pick() ? { key: name, operator, value } : { prop: name, operator, value }
  }
  const rules = n.children.map((child) => write(child, coin))
  return n.combinator === '&&' && pick() ? rules : { operator: n.combinator, rules }
}

const props: fc.Arbitrary<MediaProps> = fc.record({
  kind: fc.constantFrom('image' as const, 'video' as const, 'audio' as const, 'other' as const),
  mimetype: fc.constantFrom(
    'video/mp4',
    'image/png',
    'audio/x-wav',
    'application/pdf',
    'Video/WebM',
  ),
  filesize: size,
  width: size,
  height: size,
  duration: size,
})

describe('conditions, for any input', () => {
  it('parse back to the same tree after being written in either shape and sent as JSON', () => {
    fc.assert(
      fc.property(node, coins, (tree, coin) => {
        const json = JSON.parse(JSON.stringify(write(tree, coin)))
        expect(parseConditions(json)).toEqual(tree)
      }),
    )
  })

  it('!= fails exactly when == passes, for every readable value', () => {
    fc.assert(
      fc.property(rule, props, (r, file) => {
        const eq = parseConditions([{ prop: r.key, operator: '==', value: r.value }])
        const ne = parseConditions([{ prop: r.key, operator: '!=', value: r.value }])
        expect(evaluateConditions(eq, file).length === 0).toBe(
          evaluateConditions(ne, file).length > 0,
        )
      }),
    )
  })

  it('<= holds exactly when < or == does, and > exactly when <= does not', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NUMERIC), size, props, (key, value, file) => {
        const holds = (operator: string) =>
          evaluateConditions(parseConditions([{ prop: key, operator, value }]), file).length === 0
        expect(holds('<=')).toBe(holds('<') || holds('=='))
        expect(holds('>')).toBe(!holds('<='))
        expect(holds('>=')).toBe(!holds('<'))
      }),
    )
  })

  it('an unreadable property fails every rule on it, whatever the operator', () => {
    fc.assert(
      fc.property(rule, (r) => {
        const failures = evaluateConditions({ type: 'rule', rule: r }, { [r.key]: null })
        expect(failures.map((f) => f.code)).toEqual(['unreadable'])
      }),
    )
  })

  it('either parse or throw invalid_conditions, for any value at all', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withNullPrototype: true }), (input) => {
        try {
          parseConditions(input)
        } catch (error) {
          expect(error).toBeInstanceOf(ConditionsError)
          expect((error as ConditionsError).code).toBe('invalid_conditions')
        }
      }),
    )
  })
})
