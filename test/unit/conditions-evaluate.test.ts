import { describe, expect, it } from 'vitest'
import { evaluateConditions, type MediaProps, parseConditions } from '../../src/conditions/index.ts'

const MB = 1e6
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
    expect(failures).toMatchObject([
      { code: 'rule_failed', rule: { key: 'filesize' }, actual: 150 * MB },
      { code: 'rule_failed', rule: { key: 'duration' }, actual: 432 },
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

  it('|| that fails is one reason, in one sentence, with why each branch failed', () => {
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
    const [failure, ...more] = evaluateConditions(node, video)
    expect(more).toEqual([])
    expect(failure).toMatchObject({
      code: 'no_branch_held',
      group: node,
      message:
        'The file must be a video up to 5 min long, or an image; this video is 7 min 12 s long',
    })
    expect(
      failure?.code === 'no_branch_held' && failure.branches.map((b) => b.map((f) => f.message)),
    ).toEqual([
      ['This video is 7 min 12 s long; the limit is 5 min'],
      ['Only image files are accepted; this is a video'],
    ])
    expect(evaluateConditions(node, { ...video, duration: 299 })).toEqual([])
    expect(evaluateConditions(node, { kind: 'image', duration: null })).toEqual([])
  })

  it("explains the issue's example as a person would, naming no property it did not fail on", () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        [
          { prop: 'kind', operator: '==', value: 'image' },
          { prop: 'width', operator: '<=', value: 4000 },
        ],
        { prop: 'filesize', operator: '<=', value: 64e6 },
      ],
    })
    const bin: MediaProps = { kind: 'other', filesize: 70e6, width: null }
    expect(evaluateConditions(node, bin).map((f) => f.message)).toEqual([
      'The file must be an image up to 4000 px wide, or any file up to 64 MB; this file is 70 MB and not an image',
    ])
    const photo: MediaProps = { kind: 'image', filesize: 70e6, width: 5000 }
    expect(evaluateConditions(node, photo).map((f) => f.message)).toEqual([
      'The file must be an image up to 4000 px wide, or any file up to 64 MB; this image is 70 MB and 5000 px wide',
    ])
    const broken: MediaProps = { kind: 'image', filesize: 70e6, width: null }
    expect(evaluateConditions(node, broken).map((f) => f.message)).toEqual([
      'The file must be an image up to 4000 px wide, or any file up to 64 MB; this image is 70 MB and of unknown width',
    ])
    // Read the same rounded, said precisely.
    expect(evaluateConditions(node, { ...bin, filesize: 64e6 + 1 })[0]?.message).toBe(
      'The file must be an image up to 4000 px wide, or any file up to 64000000 bytes; this file is 64000001 bytes and not an image',
    )
  })

  it('under &&, leaves out a measure a file of the wrong kind cannot have', () => {
    const node = parseConditions([
      { prop: 'kind', operator: '==', value: 'image' },
      { prop: 'width', operator: '<=', value: 4000 },
    ])
    expect(evaluateConditions(node, { kind: 'other', width: null })).toMatchObject([
      { code: 'rule_failed', rule: { key: 'kind' } },
    ])
    // An image whose width cannot be read: that is the reason.
    expect(evaluateConditions(node, { kind: 'image', width: null })).toMatchObject([
      { code: 'unreadable', rule: { key: 'width' } },
    ])
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
    const [failure] = evaluateConditions(node, { duration: null, filesize: 50 })
    expect(
      failure?.code === 'no_branch_held' && failure.branches.flat().map((f) => f.code),
    ).toEqual(['unreadable', 'rule_failed'])
    expect(failure?.message).toBe(
      'The file must be any file up to 5 min long, or any file under 10 bytes; this file is 50 bytes and of unknown duration',
    )
  })
})
