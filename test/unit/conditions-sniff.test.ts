import { describe, expect, it } from 'vitest'
import { checkFile, parseConditions, probeFile } from '../../src/conditions/index.ts'

const TYPE_KEYS = new Set(['kind', 'mimetype'] as const)
const bytes = (...parts: Array<string | number[]>) =>
  new Uint8Array(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  )

describe('probeFile() without a media probe', () => {
  it('reads the size from the Blob and nothing else when only filesize is needed', async () => {
    expect(await probeFile(new Blob(['12345']), new Set(['filesize']))).toEqual({ filesize: 5 })
  })

  it('takes the type the browser gives, lower-cased and without parameters', async () => {
    const file = new File(['x'], 'clip.bin', { type: 'Video/WebM;codecs=vp9' })
    expect(await probeFile(file, TYPE_KEYS)).toEqual({ kind: 'video', mimetype: 'video/webm' })
  })

  it('falls back on the extension when the browser gives no type', async () => {
    expect(await probeFile(new File(['x'], 'Holiday.MOV'), TYPE_KEYS)).toEqual({
      kind: 'video',
      mimetype: 'video/quicktime',
    })
    expect(await probeFile(new File(['x'], 'song.m4a'), TYPE_KEYS)).toEqual({
      kind: 'audio',
      mimetype: 'audio/mp4',
    })
  })

  it('looks past application/octet-stream, which says nothing', async () => {
    const file = new File(['x'], 'photo.webp', { type: 'application/octet-stream' })
    expect(await probeFile(file, TYPE_KEYS)).toEqual({ kind: 'image', mimetype: 'image/webp' })
  })

  it.each([
    ['PNG', bytes([0x89], 'PNG\r\n', [0x1a, 0x0a]), 'image/png'],
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['GIF', bytes('GIF89a'), 'image/gif'],
    ['WebP', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['WAV', bytes('RIFF', [1, 2, 3, 4], 'WAVEfmt '), 'audio/wav'],
    ['AVIF', bytes([0, 0, 0, 0x1c], 'ftypavif'), 'image/avif'],
    ['HEIC', bytes([0, 0, 0, 0x18], 'ftypheic'), 'image/heic'],
    ['MOV', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'video/quicktime'],
    ['M4A', bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4'],
    ['MP4', bytes([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4'],
    ['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3]), 'video/webm'],
    ['Ogg', bytes('OggS', [0]), 'audio/ogg'],
    ['FLAC', bytes('fLaC'), 'audio/flac'],
    ['MP3 with an ID3 tag', bytes('ID3', [4, 0]), 'audio/mpeg'],
    ['MP3 without a tag', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
  ])(
    'recognises %s by its first bytes when there is neither type nor extension',
    async (_, head, type) => {
      const file = new File([head, new Uint8Array(32)], 'upload')
      expect((await probeFile(file, TYPE_KEYS)).mimetype).toBe(type)
    },
  )

  it('gives null kind and mimetype when nothing tells what the file is', async () => {
    expect(await probeFile(new File(['just text'], 'README'), TYPE_KEYS)).toEqual({
      kind: null,
      mimetype: null,
    })
    expect(await probeFile(new Blob([]), TYPE_KEYS)).toEqual({ kind: null, mimetype: null })
  })

  it('gives kind other for a known type that is no medium', async () => {
    expect(
      await probeFile(new File(['%PDF'], 'a.pdf', { type: 'application/pdf' }), TYPE_KEYS),
    ).toEqual({
      kind: 'other',
      mimetype: 'application/pdf',
    })
  })

  it('gives null rather than throwing when the file cannot be read (deleted from disk)', async () => {
    class Gone extends Blob {
      override slice(): Blob {
        return {
          arrayBuffer: () => Promise.reject(new DOMException('gone', 'NotReadableError')),
        } as Blob
      }
    }
    expect(await probeFile(new Gone(['x']), TYPE_KEYS)).toEqual({ kind: null, mimetype: null })
  })

  it('gives null dimensions and duration where there is no DOM to probe with (a server)', async () => {
    const file = new File(['x'], 'a.webm', { type: 'video/webm' })
    expect(await probeFile(file, new Set(['width', 'duration']))).toEqual({
      kind: 'video',
      width: null,
      duration: null,
    })
  })
})

describe('checkFile() for plain files', () => {
  it('answers before any timer fires when the conditions need no media probe', async () => {
    const node = parseConditions([
      { prop: 'filesize', operator: '<=', value: 3 },
      { prop: 'kind', operator: '==', value: 'video' },
    ])
    const file = new File(['12345'], 'notes.txt', { type: 'text/plain' })
    const timer = new Promise((resolve) => setTimeout(resolve, 0, 'timer'))
    const first = await Promise.race([checkFile(file, node), timer])
    expect(first).toEqual([
      expect.objectContaining({
        code: 'rule_failed',
        message: 'The file is 5 bytes; the limit is 3 bytes',
      }),
      expect.objectContaining({
        code: 'rule_failed',
        message: 'Only video files are accepted; this is not an image, video or audio file',
      }),
    ])
  })

  it('passes a file that meets the conditions with no failure', async () => {
    const node = parseConditions([{ prop: 'type', operator: '==', value: 'text/*' }])
    expect(await checkFile(new File(['x'], 'a.txt', { type: 'text/plain' }), node)).toEqual([])
  })
})
