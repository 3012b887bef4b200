import { describe, expect, it } from 'vitest'
import { sniffType } from '../../src/server/sniff.ts'

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(
    parts.map((part) =>
      typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part),
    ),
  )

describe('sniffType()', () => {
  it.each([
    ['png', bytes([0x89], 'PNG\r\n\x1a\n'), 'image/png', 'image'],
    ['jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg', 'image'],
    ['gif', bytes('GIF89a'), 'image/gif', 'image'],
    ['webp', bytes('RIFF\0\0\0\0WEBPVP8 '), 'image/webp', 'image'],
    ['wav', bytes('RIFF\0\0\0\0WAVEfmt '), 'audio/wav', 'audio'],
    ['mp4', bytes([0, 0, 0, 0x20], 'ftypisom'), 'video/mp4', 'video'],
    ['mov', bytes([0, 0, 0, 0x14], 'ftypqt  '), 'video/quicktime', 'video'],
    ['m4a', bytes([0, 0, 0, 0x20], 'ftypM4A '), 'audio/mp4', 'audio'],
    [
      'webm',
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'),
      'video/webm',
      'video',
    ],
    [
      'mkv',
      bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], 'matroska'),
      'video/x-matroska',
      'video',
    ],
    ['mp3 with ID3', bytes('ID3\x04\0'), 'audio/mpeg', 'audio'],
    ['mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg', 'audio'],
    ['ogg', bytes('OggS\0\x02'), 'audio/ogg', 'audio'],
  ])('recognises %s by its first bytes', (_name, head, mimetype, kind) => {
    expect(sniffType(head, 'misleading.txt')).toEqual({ mimetype, kind })
  })

  it('falls back to the extension, case-insensitively', () => {
    expect(sniffType(bytes('plain text'), 'Clip.MOV')).toEqual({
      mimetype: 'video/quicktime',
      kind: 'video',
    })
    expect(sniffType(new Uint8Array(0), 'notes.txt')).toEqual({
      mimetype: 'text/plain',
      kind: null,
    })
  })

  it('answers application/octet-stream and no kind when nothing is known', () => {
    expect(sniffType(bytes('plain text'), null)).toEqual({
      mimetype: 'application/octet-stream',
      kind: null,
    })
    expect(sniffType(bytes('x'), 'archive.unknownext')).toEqual({
      mimetype: 'application/octet-stream',
      kind: null,
    })
  })

  it('does not take AAC (ADTS) frames for MP3', () => {
    expect(sniffType(bytes([0xff, 0xf1, 0x50, 0x80]), null).mimetype).toBe(
      'application/octet-stream',
    )
  })
})
