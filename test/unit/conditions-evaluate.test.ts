import { describe, expect, it } from 'vitest'
import { evaluateConditions, type MediaProps, parseConditions } from '../../src/conditions/index.ts'

const MB = 1024 * 1024
const video: MediaProps = {
  kind: 'video',
  mimetype: 'video/mp4',
  filesize: 150 * MB,
  width: 1920,
  height: 1080,
  duration: 432,
}
const one = (key: string, operator: string, value: string | number) =>
  parseConditions([{ prop: key, operator, value }])
const passes = (key: string, operator: string, value: string | number, props = video) =>
  evaluateConditions(one(key, operator, value), props).length === 0

describe('evaluateConditions() compares', () => {
  it.each([
    ['==', 1920, true],
    ['==', 1919, false],
    ['!=', 1920, false],
    ['!=', 1919, true],
    ['>', 1919, true],
    ['>', 1920, false],
    ['<', 1921, true],
    ['<', 1920, false],
    ['>=', 1920, true],
    ['>=', 1921, false],
    ['<=', 1920, true],
    ['<=', 1919, false],
  ] as const)('width %s %d: %s for a width of 1920', (operator, value, expected) => {
    expect(passes('width', operator, value)).toBe(expected)
  })

  it('every numeric key against its own property', () => {
    expect(passes('filesize', '<=', 150 * MB)).toBe(true)
    expect(passes('filesize', '<=', 150 * MB - 1)).toBe(false)
    expect(passes('height', '<=', 1080)).toBe(true)
    expect(passes('height', '<', 1080)).toBe(false)
    expect(passes('duration', '<=', 432)).toBe(true)
    expect(passes('duration', '<=', 431.9)).toBe(false)
  })

  it('kind with == and !=', () => {
    expect(passes('kind', '==', 'video')).toBe(true)
    expect(passes('kind', '==', 'image')).toBe(false)
    expect(passes('kind', '!=', 'image')).toBe(true)
    expect(passes('kind', '!=', 'video')).toBe(false)
  })

  it('a file of another kind (a PDF) as simply not matching, not as unreadable', () => {
    const pdf: MediaProps = { kind: 'other', mimetype: 'application/pdf' }
    expect(evaluateConditions(one('kind', '==', 'video'), pdf)).toMatchObject([
      { code: 'rule_failed', actual: 'other' },
    ])
    expect(passes('kind', '!=', 'video', pdf)).toBe(true)
  })

  it('mimetype exactly, ignoring case and parameters', () => {
    expect(passes('mimetype', '==', 'video/mp4')).toBe(true)
    expect(passes('type', '==', 'video/webm')).toBe(false)
    expect(passes('mimetype', '==', 'video/webm', { mimetype: 'Video/WebM; codecs="vp9"' })).toBe(
      true,
    )
    expect(passes('mimetype', '!=', 'video/mp4')).toBe(false)
  })

  it('mimetype against a wildcard: video/* takes every video type and nothing else', () => {
    expect(passes('mimetype', '==', 'video/*')).toBe(true)
    expect(passes('mimetype', '==', 'video/*', { mimetype: 'videos/mp4' })).toBe(false)
    expect(passes('mimetype', '==', 'image/*')).toBe(false)
    expect(passes('mimetype', '!=', 'image/*')).toBe(true)
  })
})

describe('evaluateConditions() combines', () => {
  it('&& passes only when every rule holds, with one failure per failed rule', () => {
    const node = parseConditions({
      operator: '&&',
      rules: [
        { key: 'kind', operator: '==', value: 'video' },
        { key: 'filesize', operator: '<=', value: 100 * MB },
        { key: 'width', operator: '<=', value: 1920 },
        { key: 'duration', operator: '<=', value: 300 },
      ],
    })
    const failures = evaluateConditions(node, video)
    expect(failures.map((f) => [f.code, f.rule.key, f.actual])).toEqual([
      ['rule_failed', 'filesize', 150 * MB],
      ['rule_failed', 'duration', 432],
    ])
  })

  it('|| passes when any branch holds', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        { key: 'kind', operator: '==', value: 'image' },
        { key: 'width', operator: '<=', value: 1920 },
      ],
    })
    expect(evaluateConditions(node, video)).toEqual([])
  })

  it('|| that fails reports why no branch held: the failures of every branch', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        [
          { prop: 'kind', operator: '==', value: 'video' },
          { prop: 'duration', operator: '<=', value: 300 },
        ],
        { key: 'kind', operator: '==', value: 'image' },
      ],
    })
    expect(evaluateConditions(node, video).map((f) => f.message)).toEqual([
      'This video is 7 min 12 s long; the limit is 5 min',
      'Only image files are accepted; this is a video',
    ])
    expect(evaluateConditions(node, { ...video, duration: 299 })).toEqual([])
    expect(evaluateConditions(node, { kind: 'image', duration: null })).toEqual([])
  })

  it('nested groups to any depth', () => {
    const node = parseConditions([[[[{ prop: 'height', operator: '>', value: 2000 }]]]])
    expect(evaluateConditions(node, video)).toHaveLength(1)
  })
})

describe('evaluateConditions() with properties it does not have', () => {
  it('fails a null (unreadable) property as unreadable, never waving it through', () => {
    const node = one('duration', '<=', 300)
    expect(evaluateConditions(node, { ...video, duration: null })).toEqual([
      {
        code: 'unreadable',
        rule: { key: 'duration', operator: '<=', value: 300 },
        actual: null,
        message: "Could not read this video's duration",
      },
    ])
  })

  it('fails unreadable for != as well as for ==, so negation cannot pass an unknown value', () => {
    expect(evaluateConditions(one('kind', '!=', 'video'), { kind: null })[0]?.code).toBe(
      'unreadable',
    )
    expect(evaluateConditions(one('width', '!=', 5), {})[0]?.code).toBe('unreadable')
  })

  it('fails a property left out of the props (never probed) as unreadable', () => {
    expect(evaluateConditions(one('width', '<=', 5), {})).toMatchObject([
      { code: 'unreadable', actual: null },
    ])
  })

  it('fails unreadable inside a || only when no other branch holds', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        { key: 'duration', operator: '<=', value: 300 },
        { key: 'filesize', operator: '<', value: 10 },
      ],
    })
    expect(evaluateConditions(node, { duration: null, filesize: 5 })).toEqual([])
    expect(evaluateConditions(node, { duration: null, filesize: 50 }).map((f) => f.code)).toEqual([
      'unreadable',
      'rule_failed',
    ])
  })
})
