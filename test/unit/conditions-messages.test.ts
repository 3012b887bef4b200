import { describe, expect, it } from 'vitest'
import {
  type ConditionMessages,
  defaultMessages,
  evaluateConditions,
  type MediaProps,
  parseConditions,
} from '../../src/conditions/index.ts'

const MB = 1e6
const messageFor = (
  key: string,
  operator: string,
  value: string | number,
  props: MediaProps,
  messages?: Partial<ConditionMessages>,
) =>
  evaluateConditions(parseConditions([{ prop: key, operator, value }]), props, messages)[0]?.message

describe('default messages', () => {
  const video: MediaProps = {
    kind: 'video',
    mimetype: 'video/mp4',
    filesize: 150 * MB,
    width: 4000,
    height: 3000,
    duration: 432,
  }
  const image: MediaProps = { ...video, kind: 'image', mimetype: 'image/png' }

  it.each([
    ['duration', '<=', 300, video, 'This video is 7 min 12 s long; the limit is 5 min'],
    ['filesize', '<=', 100 * MB, video, 'The file is 150 MB; the limit is 100 MB'],
    ['filesize', '<', 100 * MB, video, 'The file is 150 MB; it must be under 100 MB'],
    ['filesize', '>=', 200 * MB, video, 'The file is 150 MB; it must be at least 200 MB'],
    ['filesize', '>', 200 * MB, video, 'The file is 150 MB; it must be over 200 MB'],
    ['filesize', '==', 1000, video, 'The file is 150 MB; it must be exactly 1 KB'],
    ['filesize', '!=', 150 * MB, video, 'The file is 150 MB; it must not be 150 MB'],
    ['width', '<=', 1920, image, 'This image is 4000 px wide; the limit is 1920 px'],
    ['height', '<=', 1080, video, 'This video is 3000 px tall; the limit is 1080 px'],
    [
      'duration',
      '>=',
      5,
      { kind: 'audio', duration: 2.5 },
      'This audio file is 2.5 s long; it must be at least 5 s',
    ],
    ['kind', '==', 'video', image, 'Only video files are accepted; this is an image'],
    [
      'kind',
      '==',
      'image',
      { kind: 'audio' },
      'Only image files are accepted; this is an audio file',
    ],
    [
      'kind',
      '==',
      'video',
      { kind: 'other' },
      'Only video files are accepted; this is not an image, video or audio file',
    ],
    ['kind', '!=', 'video', video, 'Video files are not accepted'],
    [
      'mimetype',
      '==',
      'video/*',
      image,
      'Only files of type video/* are accepted; this is image/png',
    ],
    [
      'mimetype',
      '!=',
      'image/*',
      image,
      'Files of type image/* are not accepted; this is image/png',
    ],
    ['mimetype', '!=', 'image/png', image, 'Files of type image/png are not accepted'],
  ] as const)('%s %s %s: "%s"', (key, operator, value, props, message) => {
    expect(messageFor(key, operator, value, props)).toBe(message)
  })

  it.each([
    ['duration', { kind: 'video' }, "Could not read this video's duration"],
    ['duration', { kind: 'audio' }, "Could not read this audio file's duration"],
    ['width', { kind: 'image' }, "Could not read this image's width"],
    ['height', {}, "Could not read this file's height"],
    ['filesize', { kind: 'video' }, "Could not read this file's size"],
    ['mimetype', { kind: 'video' }, "Could not read this file's type"],
    ['kind', {}, 'Could not tell what kind of file this is'],
  ] as const)('unreadable %s: "%s"', (key, props, message) => {
    const value = key === 'kind' ? 'video' : key === 'mimetype' ? 'video/*' : 1
    expect(messageFor(key, '==', value, props)).toBe(message)
  })

  it('says the values precisely when rounding would make them read the same', () => {
    expect(messageFor('filesize', '<=', 100 * MB, { filesize: 100 * MB + 1 })).toBe(
      'The file is 100000001 bytes; the limit is 100000000 bytes',
    )
    expect(messageFor('duration', '<=', 300, { kind: 'video', duration: 300.4 })).toBe(
      'This video is 5 min 0.4 s long; the limit is 5 min',
    )
  })
})

describe('replaced messages', () => {
  it('replace one message and leave the others in English', () => {
    const messages = { kind: () => 'Seules les vidéos sont acceptées' }
    const node = parseConditions([
      { prop: 'kind', operator: '==', value: 'video' },
      { prop: 'filesize', operator: '<=', value: 1 },
    ])
    expect(
      evaluateConditions(node, { kind: 'image', filesize: 2 }, messages).map((f) => f.message),
    ).toEqual(['Seules les vidéos sont acceptées', 'The file is 2 bytes; the limit is 1 byte'])
  })

  it('receive the rule, the actual value, both values formatted, and the kind', () => {
    const seen: unknown[] = []
    messageFor(
      'duration',
      '<=',
      300,
      { kind: 'video', duration: 432 },
      {
        duration: (context) => {
          seen.push(context)
          return ''
        },
      },
    )
    expect(seen).toEqual([
      {
        rule: { key: 'duration', operator: '<=', value: 300 },
        actual: 432,
        value: '7 min 12 s',
        limit: '5 min',
        kind: 'video',
      },
    ])
  })

  it('format numbers with the replaced formatters', () => {
    const messages: Partial<ConditionMessages> = {
      formatBytes: (n) => `${n / MB} Mo`,
      formatDuration: (s) => `${s} secondes`,
      formatPixels: (n) => `${n} pixels`,
      filesize: (c) => `Le fichier fait ${c.value} ; la limite est ${c.limit}`,
      duration: (c) => `${c.value} > ${c.limit}`,
      width: (c) => `${c.value} > ${c.limit}`,
    }
    expect(messageFor('filesize', '<=', 100 * MB, { filesize: 150 * MB }, messages)).toBe(
      'Le fichier fait 150 Mo ; la limite est 100 Mo',
    )
    expect(messageFor('duration', '<=', 5, { duration: 6 }, messages)).toBe(
      '6 secondes > 5 secondes',
    )
    expect(messageFor('width', '<=', 5, { width: 6 }, messages)).toBe('6 pixels > 5 pixels')
  })

  it('replace the sentence for a || that no branch met, given the group, the branches and the file', () => {
    const node = parseConditions({
      operator: '||',
      rules: [
        { prop: 'kind', operator: '==', value: 'image' },
        { prop: 'filesize', operator: '<=', value: 1 },
      ],
    })
    const messages: Partial<ConditionMessages> = {
      either: ({ group, branches, props }) =>
        `${group.type}: ${branches.length} branches, ${props.filesize} octets, ${branches[1]?.[0]?.message}`,
      filesize: (c) => `Le fichier fait ${c.value}`,
    }
    expect(
      evaluateConditions(node, { kind: 'other', filesize: 2 }, messages).map((f) => f.message),
    ).toEqual(['group: 2 branches, 2 octets, Le fichier fait 2 bytes'])
  })

  it('cover every string: each default message is a replaceable entry', () => {
    expect(Object.keys(defaultMessages).sort()).toEqual([
      'duration',
      'either',
      'filesize',
      'formatBytes',
      'formatDuration',
      'formatPixels',
      'height',
      'kind',
      'mimetype',
      'unreadable',
      'width',
    ])
  })
})
