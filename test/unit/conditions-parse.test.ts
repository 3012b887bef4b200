import { describe, expect, it } from 'vitest'
import {
  type ConditionNode,
  combineConditions,
  neededProps,
  parseConditions,
} from '../../src/conditions/index.ts'

const rule = (key: string, operator: string, value: string | number): ConditionNode =>
  ({ type: 'rule', rule: { key, operator, value } }) as ConditionNode

describe('parseConditions() accepts', () => {
  it('the {operator, rules: [{key…}]} shape from the upload guide', () => {
    const node = parseConditions({
      operator: '&&',
      rules: [
        { key: 'kind', operator: '==', value: 'video' },
        { key: 'filesize', operator: '<=', value: 104857600 },
      ],
    })
    expect(node).toEqual({
      type: 'group',
      combinator: '&&',
      children: [rule('kind', '==', 'video'), rule('filesize', '<=', 104857600)],
    })
  })

  it('the [{prop…}] array shape, as an &&', () => {
    const node = parseConditions([
      { prop: 'kind', operator: '==', value: 'video' },
      { prop: 'filesize', operator: '<=', value: 104857600 },
    ])
    expect(node).toEqual({
      type: 'group',
      combinator: '&&',
      children: [rule('kind', '==', 'video'), rule('filesize', '<=', 104857600)],
    })
  })

  it('the || combinator', () => {
    const node = parseConditions({
      operator: '||',
      rules: [{ key: 'width', operator: '>', value: 1 }],
    })
    expect(node).toMatchObject({ type: 'group', combinator: '||' })
  })

  it('a group as a rule: (kind == video && duration <= 300) || kind == image', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        {
          operator: '&&',
          rules: [
            { key: 'kind', operator: '==', value: 'video' },
            { key: 'duration', operator: '<=', value: 300 },
          ],
        },
        { key: 'kind', operator: '==', value: 'image' },
      ],
    })
    expect(node).toEqual({
      type: 'group',
      combinator: '||',
      children: [
        {
          type: 'group',
          combinator: '&&',
          children: [rule('kind', '==', 'video'), rule('duration', '<=', 300)],
        },
        rule('kind', '==', 'image'),
      ],
    })
  })

  it('a group inside the array shape', () => {
    const node = parseConditions([
      { operator: '||', rules: [{ prop: 'height', operator: '<', value: 9 }] },
    ])
    expect(node).toEqual({
      type: 'group',
      combinator: '&&',
      children: [{ type: 'group', combinator: '||', children: [rule('height', '<', 9)] }],
    })
  })

  it('a single rule on its own', () => {
    expect(parseConditions({ key: 'filesize', operator: '>=', value: 0 })).toEqual(
      rule('filesize', '>=', 0),
    )
  })

  it.each(['==', '!=', '>', '<', '>=', '<='])('the operator %s on numeric keys', (operator) => {
    for (const key of ['filesize', 'width', 'height', 'duration']) {
      expect(parseConditions({ key, operator, value: 1.5 })).toEqual(rule(key, operator, 1.5))
    }
  })

  it.each(['image', 'video', 'audio'])('kind %s with == and !=', (kind) => {
    expect(parseConditions({ key: 'kind', operator: '==', value: kind })).toEqual(
      rule('kind', '==', kind),
    )
    expect(parseConditions({ key: 'kind', operator: '!=', value: kind })).toEqual(
      rule('kind', '!=', kind),
    )
  })

  it('type as a synonym of mimetype, lower-casing the value', () => {
    expect(parseConditions({ key: 'type', operator: '==', value: 'Video/MP4' })).toEqual(
      rule('mimetype', '==', 'video/mp4'),
    )
    expect(parseConditions([{ prop: 'type', operator: '!=', value: 'image/svg+xml' }])).toEqual({
      type: 'group',
      combinator: '&&',
      children: [rule('mimetype', '!=', 'image/svg+xml')],
    })
  })

  it('a mimetype wildcard like video/*', () => {
    expect(parseConditions({ key: 'mimetype', operator: '==', value: 'video/*' })).toEqual(
      rule('mimetype', '==', 'video/*'),
    )
  })
})

describe('combineConditions()', () => {
  const a = rule('kind', '==', 'video')
  const b = rule('filesize', '<=', 10)

  it('gives null when there are none', () => {
    expect(combineConditions([])).toBeNull()
  })

  it('gives the one node when there is one', () => {
    expect(combineConditions([a])).toBe(a)
  })

  it('joins several sources (options and session) with &&', () => {
    expect(combineConditions([a, b])).toEqual({ type: 'group', combinator: '&&', children: [a, b] })
  })
})

describe('neededProps()', () => {
  it('lists every key tested anywhere in the tree, once, with type read as mimetype', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        [
          { prop: 'kind', operator: '==', value: 'video' },
          { prop: 'duration', operator: '<=', value: 300 },
        ],
        { key: 'kind', operator: '==', value: 'image' },
        { key: 'type', operator: '!=', value: 'image/gif' },
      ],
    })
    expect([...neededProps(node)].sort()).toEqual(['duration', 'kind', 'mimetype'])
  })

  it('asks for no media probe when only the size is tested', () => {
    expect([
      ...neededProps(parseConditions([{ prop: 'filesize', operator: '<', value: 5 }])),
    ]).toEqual(['filesize'])
  })
})
