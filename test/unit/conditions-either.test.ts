import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { passes } from '../../src/conditions/holds.ts'
import {
  type ConditionFailure,
  type ConditionNode,
  evaluateConditions,
  formatBytes,
  type MediaProps,
  type Rule,
} from '../../src/conditions/index.ts'

/**
 * The sentence for a `||` that no branch met ("The file must be A, or B; this file is …"), for
 * any tree and any file: it asks for nothing the rule does not ask, names every alternative,
 * and says of the file only what is true and what some branch failed on.
 */

const NUMERIC = ['filesize', 'width', 'height', 'duration'] as const
const OPERATORS = ['==', '!=', '>', '<', '>=', '<='] as const
const number = fc.oneof(fc.nat({ max: 10_000 }), fc.integer({ min: 0, max: 1e12 }))

const rule: fc.Arbitrary<Rule> = fc.oneof(
  fc.record({
    key: fc.constantFrom(...NUMERIC),
    operator: fc.constantFrom(...OPERATORS),
    value: number,
  }),
  fc.record({
    key: fc.constant('kind' as const),
    operator: fc.constantFrom('==' as const, '!=' as const),
    value: fc.constantFrom('image', 'video', 'audio'),
  }),
  fc.record({
    key: fc.constant('mimetype' as const),
    operator: fc.constantFrom('==' as const, '!=' as const),
    value: fc.constantFrom('video/*', 'video/mp4', 'image/png', 'application/pdf'),
  }),
)

const node: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    rule.map((r): ConditionNode => ({ type: 'rule', rule: r })),
    fc.record({
      type: fc.constant('group' as const),
      combinator: fc.constantFrom('&&' as const, '||' as const),
      children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
    }),
  ),
})).node

/** A `||` at the top, so that a refusal is one sentence. */
const either: fc.Arbitrary<ConditionNode> = fc
  .array(node, { minLength: 2, maxLength: 3 })
  .map((children) => ({ type: 'group', combinator: '||', children }))

const maybe = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null, freq: 4 })
const file: fc.Arbitrary<MediaProps> = fc.record({
  kind: maybe(
    fc.constantFrom('image' as const, 'video' as const, 'audio' as const, 'other' as const),
  ),
  mimetype: maybe(fc.constantFrom('video/mp4', 'image/png', 'application/pdf')),
  filesize: maybe(number),
  width: maybe(number),
  height: maybe(number),
  duration: maybe(number),
})

const rulesOf = (n: ConditionNode): Rule[] =>
  n.type === 'rule' ? [n.rule] : n.children.flatMap(rulesOf)
const failedOf = (f: ConditionFailure): Array<ConditionFailure & { rule: Rule }> =>
  f.code === 'no_branch_held' ? f.branches.flat().flatMap(failedOf) : [f]
const sizes = (text: string) => [...text.matchAll(/(\S+) (bytes?|KB|MB|GB|TB)\b/g)].map((m) => m[0])
const pixels = (text: string) => [...text.matchAll(/(\S+) px/g)].map((m) => m[0])
/** How each operator reads before a limit: the words the sentence may use, and no others. */
const BOUND = {
  '<=': 'up to',
  '<': 'under',
  '>=': 'at least',
  '>': 'over',
  '==': 'exactly',
  '!=': 'not exactly',
}
const bounded = (text: string, unit: string) =>
  [
    ...text.matchAll(
      new RegExp(`(?:^|[ (])(${Object.values(BOUND).join('|')}) (\\S+ (?:${unit}))`, 'g'),
    ),
  ].map((m) => `${m[1]} ${m[2]}`)

const ADJECTIVES = { width: ' wide', height: ' tall', duration: ' long' } as const

describe('a || that no branch meets, for any tree and any file', () => {
  it('is refused exactly when the wordless check says it fails', () => {
    fc.assert(
      fc.property(node, file, (tree, props) => {
        expect(evaluateConditions(tree, props).length === 0).toBe(passes(tree, props))
      }),
    )
  })

  it('asks for nothing the rule does not ask for, and names every alternative', () => {
    fc.assert(
      fc.property(either, file, (tree, props) => {
        const [failure] = evaluateConditions(tree, props)
        if (failure?.code !== 'no_branch_held') return
        const [asked, told] = failure.message.split('; ')
        expect(asked).toMatch(/^The file must be /)
        expect(told).toMatch(/^this /)
        const rules = rulesOf(tree)
        const has = (key: Rule['key'], value?: string | number) =>
          rules.some((r) => r.key === key && (value === undefined || r.value === value))
        for (const [key, adjective] of Object.entries(ADJECTIVES)) {
          if (asked?.includes(adjective)) expect(has(key as Rule['key'])).toBe(true)
        }
        for (const [, type] of asked?.matchAll(/of type ([^\s,)]+)/g) ?? []) {
          expect(has('mimetype', type)).toBe(true)
        }
        if (asked?.includes('an image')) expect(has('kind', 'image')).toBe(true)
        if (asked?.includes('a video')) expect(has('kind', 'video')).toBe(true)
        if (asked?.includes('an audio file')) expect(has('kind', 'audio')).toBe(true)
        const limits = rules
          .filter((r) => r.key === 'filesize')
          .flatMap((r) => [formatBytes(Number(r.value)), formatBytes(Number(r.value), true)])
        for (const said of sizes(asked ?? '')) expect(limits).toContain(said)
        const px = rules
          .filter((r) => r.key === 'width' || r.key === 'height')
          .map((r) => `${r.value} px`)
        for (const said of pixels(asked ?? '')) expect(px).toContain(said)
        // Each limit with its own rule's operator: never "up to" for a rule that says "at least".
        const sizeBounds = rules
          .filter((r) => r.key === 'filesize')
          .flatMap((r) =>
            [true, false].map(
              (exact) => `${BOUND[r.operator]} ${formatBytes(Number(r.value), exact)}`,
            ),
          )
        const saidSizes = bounded(asked ?? '', 'bytes?|KB|MB|GB|TB')
        expect(saidSizes).toHaveLength(sizes(asked ?? '').length)
        for (const said of saidSizes) expect(sizeBounds).toContain(said)
        const pxBounds = rules
          .filter((r) => r.key === 'width' || r.key === 'height')
          .map((r) => `${BOUND[r.operator]} ${r.value} px`)
        const saidPx = bounded(asked ?? '', 'px')
        expect(saidPx).toHaveLength(pixels(asked ?? '').length)
        for (const said of saidPx) expect(pxBounds).toContain(said)
        // One alternative per branch of the ||, nested ||s taken in.
        const alternatives = (n: ConditionNode): number =>
          n.type === 'group' && n.combinator === '||'
            ? n.children.reduce((sum, child) => sum + alternatives(child), 0)
            : 1
        expect(asked?.split(', or ')).toHaveLength(alternatives(tree))
      }),
    )
  })

  it('says of the file only what is true, and only what some branch failed on', () => {
    fc.assert(
      fc.property(either, file, (tree, props) => {
        const [failure] = evaluateConditions(tree, props)
        if (failure?.code !== 'no_branch_held') return
        const told = failure.message.split('; ')[1] ?? ''
        const failed = failedOf(failure)
        const failedOn = (key: Rule['key']) => failed.some((f) => f.rule.key === key)
        for (const [key, adjective] of Object.entries(ADJECTIVES)) {
          if (told.includes(adjective) || told.includes(`unknown ${key}`)) {
            expect(failedOn(key as Rule['key'])).toBe(true)
          }
        }
        for (const said of sizes(told)) {
          expect(failedOn('filesize')).toBe(true)
          expect([
            formatBytes(Number(props.filesize)),
            formatBytes(Number(props.filesize), true),
          ]).toContain(said)
        }
        for (const said of pixels(told)) {
          expect([`${props.width} px`, `${props.height} px`]).toContain(said)
        }
        if (told.includes('of type')) expect(told).toContain(`of type ${props.mimetype}`)
        if (told.startsWith('this image')) expect(props.kind).toBe('image')
        if (told.startsWith('this video')) expect(props.kind).toBe('video')
        if (/\bnot an? /.test(told)) expect(props.kind).toBe('other')
      }),
    )
  })
})
