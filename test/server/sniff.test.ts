import { describe, expect, it } from 'vitest'
import { sniffType } from '../../src/server/media/server-sniff.ts'
import { fixture } from './helpers.ts'

const blob = (bytes: Uint8Array | string) =>
  new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)])

describe('sniffType()', () => {
  it.each([
    ['image-64x48.png', 'image/png', 'png', 'image'],
    ['photo-exif6-48x64.jpg', 'image/jpeg', 'jpg', 'image'],
    ['image-40x30.gif', 'image/gif', 'gif', 'image'],
    ['image-50x20.webp', 'image/webp', 'webp', 'image'],
    ['image-64x32.avif', 'image/avif', 'avif', 'image'],
    ['video-160x90-2s.mp4', 'video/mp4', 'mp4', 'video'],
    ['video-160x90-2s.mov', 'video/quicktime', 'mov', 'video'],
    ['video-160x90-2s.webm', 'video/webm', 'webm', 'video'],
    ['audio-1.5s.m4a', 'audio/mp4', 'm4a', 'audio'],
    ['audio-1.5s.mp3', 'audio/mpeg', 'mp3', 'audio'],
    ['audio-1.5s.ogg', 'audio/ogg', 'ogg', 'audio'],
    ['audio-1.5s.wav', 'audio/wav', 'wav', 'audio'],
  ])('recognises %s by its bytes, whatever its name', async (name, mimetype, format, kind) => {
    expect(await sniffType(blob(fixture(name)), 'misleading.txt')).toEqual({
      mimetype,
      format,
      kind,
    })
  })

  it('takes a text type from the name when the bytes tell nothing, never a media kind', async () => {
    expect(await sniffType(blob('plain text'), 'Notes.TXT')).toEqual({
      mimetype: 'text/plain',
      format: 'txt',
      kind: null,
    })
    expect(await sniffType(blob('<svg/>'), 'logo.svg')).toMatchObject({
      mimetype: 'image/svg+xml',
      kind: null,
    })
    // A name is not evidence: text called .mov is not a video.
    expect(await sniffType(blob('plain text'), 'Clip.MOV')).toEqual({
      mimetype: 'application/octet-stream',
      format: null,
      kind: null,
    })
  })

  it('answers application/octet-stream and no kind when nothing is known', async () => {
    for (const [bytes, name] of [
      ['plain text', null],
      ['x', 'archive.unknownext'],
      ['', null],
    ] as const) {
      expect(await sniffType(blob(bytes), name)).toEqual({
        mimetype: 'application/octet-stream',
        format: null,
        kind: null,
      })
    }
  })

  it('does not take a PNG signature followed by garbage for a PNG', async () => {
    expect((await sniffType(blob(fixture('undecodable.png')), null)).mimetype).toBe(
      'application/octet-stream',
    )
  })
})
