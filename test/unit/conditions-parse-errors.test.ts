import { describe, expect, it } from 'vitest'
import { ConditionsError, parseConditions } from '../../src/conditions/index.ts'

/** The message parseConditions throws for `input`, after checking it is an invalid_conditions. */
function problem(input: unknown): string {
  try {
    parseConditions(input)
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionsError)
    expect((error as ConditionsError).code).toBe('invalid_conditions')
    return (error as ConditionsError).message
  }
  throw new Error(`parsed without complaint: ${JSON.stringify(input)}`)
}

describe('parseConditions() refuses, naming the problem and where', () => {
  it.each([
    [
      'an unknown operator',
      {
        operator: '&&',
        rules: [
          { key: 'kind', operator: '==', value: 'video' },
          { key: 'filesize', operator: '=>', value: 1 },
        ],
      },
      "conditions.rules[1].operator: '=>' is not one of ==, !=, >, <, >=, <=",
    ],
    [
      'an unknown key',
      [{ prop: 'bitrate', operator: '<', value: 1 }],
      "conditions[0].prop: 'bitrate' is not one of kind, mimetype, filesize, width, height, duration, type",
    ],
    [
      'an unknown combinator',
      { operator: 'and', rules: [{ key: 'width', operator: '<', value: 1 }] },
      "conditions.operator: 'and' is not one of &&, ||",
    ],
    [
      'a group with no rules',
      { operator: '&&', rules: [] },
      'conditions.rules: empty group; give at least one rule',
    ],
    ['an empty array', [], 'conditions: empty group; give at least one rule'],
    [
      'rules that are not an array',
      { operator: '&&', rules: {} },
      'conditions.rules: expected an array, got {}',
    ],
    [
      'a group with no operator',
      { rules: [{ key: 'width', operator: '<', value: 1 }] },
      'conditions.operator: missing',
    ],
    ['null', null, 'conditions: expected a rule or a group, got null'],
    ['a string', '&&', "conditions: expected a rule or a group, got '&&'"],
    ['a number among rules', [7], 'conditions[0]: expected a rule or a group, got 7'],
    [
      'a rule with no key',
      [{ operator: '<', value: 1 }],
      "conditions[0]: missing 'key' (or 'prop')",
    ],
    [
      'a rule with both key and prop',
      [{ key: 'width', prop: 'width', operator: '<', value: 1 }],
      "conditions[0]: has both 'key' and 'prop'; give one",
    ],
    ['a rule with no value', [{ key: 'width', operator: '<' }], 'conditions[0].value: missing'],
    ['a rule with no operator', [{ key: 'width', value: 1 }], 'conditions[0].operator: missing'],
    [
      'a stray property (a misspelling)',
      [{ key: 'width', operator: '<', value: 1, unit: 'px' }],
      "conditions[0]: unknown property 'unit'",
    ],
    [
      'a filesize given as a string',
      [{ key: 'filesize', operator: '<=', value: '100MB' }],
      "conditions[0].value: '100MB' is not a finite number of bytes, 0 or more",
    ],
    [
      'a negative filesize',
      [{ key: 'filesize', operator: '<=', value: -1 }],
      'conditions[0].value: -1 is not a finite number of bytes, 0 or more',
    ],
    [
      'an infinite duration',
      [{ key: 'duration', operator: '<=', value: Number.POSITIVE_INFINITY }],
      'conditions[0].value: Infinity is not a finite number of seconds, 0 or more',
    ],
    [
      'a NaN width',
      [{ key: 'width', operator: '<=', value: Number.NaN }],
      'conditions[0].value: NaN is not a finite number of pixels, 0 or more',
    ],
    [
      'a height given as null',
      [{ key: 'height', operator: '<=', value: null }],
      'conditions[0].value: null is not a finite number of pixels, 0 or more',
    ],
    [
      'an unknown kind',
      [{ key: 'kind', operator: '==', value: 'document' }],
      "conditions[0].value: 'document' is not one of image, video, audio",
    ],
    [
      'a kind given in capitals',
      [{ key: 'kind', operator: '==', value: 'Video' }],
      "conditions[0].value: 'Video' is not one of image, video, audio",
    ],
    [
      'an ordering operator on kind',
      [{ key: 'kind', operator: '>', value: 'image' }],
      "conditions[0].operator: '>' cannot compare kind; use == or !=",
    ],
    [
      'an ordering operator on mimetype',
      [{ key: 'type', operator: '<=', value: 'video/mp4' }],
      "conditions[0].operator: '<=' cannot compare mimetype; use == or !=",
    ],
    [
      'a mimetype that is not one',
      [{ key: 'mimetype', operator: '==', value: 'mp4' }],
      "conditions[0].value: 'mp4' is not a MIME type like 'video/mp4' or 'video/*'",
    ],
    [
      'a mimetype given as a number',
      [{ key: 'mimetype', operator: '==', value: 4 }],
      "conditions[0].value: 4 is not a MIME type like 'video/mp4' or 'video/*'",
    ],
    [
      'a misplaced wildcard',
      [{ key: 'mimetype', operator: '==', value: '*/mp4' }],
      "conditions[0].value: '*/mp4' is not a MIME type like 'video/mp4' or 'video/*'",
    ],
    [
      'a problem deep in a nested group',
      {
        operator: '||',
        rules: [
          {
            operator: '&&',
            rules: [
              { key: 'width', operator: '<', value: 1 },
              { key: 'width', operator: '~', value: 1 },
            ],
          },
        ],
      },
      "conditions.rules[0].rules[1].operator: '~' is not one of ==, !=, >, <, >=, <=",
    ],
  ])('%s', (_, input, message) => {
    expect(problem(input)).toBe(message)
  })

  it('groups nested absurdly deep, rather than overflowing the stack', () => {
    let input: unknown = { key: 'width', operator: '<', value: 1 }
    for (let i = 0; i < 10_000; i++) input = [input]
    expect(problem(input)).toMatch(/^conditions(\[0\])+: groups nested more than 16 deep$/)
  })

  it('never lets a malformed rule through inside an otherwise valid tree', () => {
    const valid = { key: 'width', operator: '<', value: 1 }
    expect(() => parseConditions({ operator: '||', rules: [valid, { key: 'width' }] })).toThrow(
      ConditionsError,
    )
  })
})
