import { describe, expect, it } from 'vitest'
import type { FileObject } from '../../src/server/index.ts'
import { displaySize } from '../../src/server/media/server-probe-iso.ts'
import { complete, createSession, fixture, putPartOk, testServer, upload } from './helpers.ts'

const running = testServer()

/** Uploads a fixture under a name that says nothing of its type, so only the bytes can. */
async function uploaded(name: string): Promise<FileObject> {
  const media = await upload(running, fixture(name), { filename: 'upload.bin' })
  return (media.sources as FileObject[])[0] as FileObject
}

describe('what a completed upload is, read from its bytes (test/fixtures/media)', () => {
  it.each([
    ['image-64x48.png', { kind: 'image', type: 'image/png', format: 'png', width: 64, height: 48 }],
    ['image-40x30.gif', { kind: 'image', type: 'image/gif', format: 'gif', width: 40, height: 30 }],
    ['image-50x20.webp', { type: 'image/webp', format: 'webp', width: 50, height: 20 }],
    ['image-64x32.avif', { type: 'image/avif', format: 'avif', width: 64, height: 32 }],
    // Stored 64×48 with EXIF orientation 6: shown, as browsers show it, 48 wide and 64 tall.
    ['photo-exif6-48x64.jpg', { type: 'image/jpeg', format: 'jpg', width: 48, height: 64 }],
    // The header of a truncated PNG still tells its size.
    ['truncated.png', { type: 'image/png', width: 64, height: 48 }],
  ])('%s', async (name, expected) => {
    expect(await uploaded(name)).toMatchObject({ duration: null, fps: null, ...expected })
  })

  it.each([
    ['video-160x90-2s.mp4', 'video/mp4', 'mp4'],
    ['video-160x90-2s.mov', 'video/quicktime', 'mov'],
  ])('%s: size, duration and frame rate from its index', async (name, type, format) => {
    expect(await uploaded(name)).toMatchObject({
      kind: 'video',
      type,
      format,
      width: 160,
      height: 90,
      duration: 2,
      fps: 10,
    })
  })

  it('video-160x90-2s.webm: size and duration', async () => {
    expect(await uploaded('video-160x90-2s.webm')).toMatchObject({
      kind: 'video',
      type: 'video/webm',
      format: 'webm',
      width: 160,
      height: 90,
      duration: 2.008,
    })
  })

  it('video-160x90-2s-no-duration.webm: size, and no duration rather than a wrong one', async () => {
    expect(await uploaded('video-160x90-2s-no-duration.webm')).toMatchObject({
      kind: 'video',
      width: 160,
      height: 90,
      duration: null,
    })
  })

  it.each([
    ['audio-1.5s.m4a', 'audio/mp4', 'm4a'],
    ['audio-1.5s.mp3', 'audio/mpeg', 'mp3'],
    ['audio-1.5s.ogg', 'audio/ogg', 'ogg'],
    ['audio-1.5s.wav', 'audio/wav', 'wav'],
  ])('%s: an audio file of about 1.5 s', async (name, type, format) => {
    const file = await uploaded(name)
    expect(file).toMatchObject({ kind: 'audio', type, format, width: null, height: null })
    // The MP3 encoder pads (ffprobe: 1.54 s); the others are exact.
    expect(file.duration).toBeCloseTo(1.5, 1)
  })

  it.each([
    ['truncated.mp4', { kind: 'video', type: 'video/mp4' }],
    ['undecodable.png', { kind: null, type: 'application/octet-stream' }],
    ['undecodable.webm', { kind: null, type: 'application/octet-stream' }],
  ])('%s: kept, with what could not be read left null', async (name, expected) => {
    expect(await uploaded(name)).toMatchObject({
      width: null,
      height: null,
      duration: null,
      ...expected,
    })
  })

  it('reads the media of an upload sent in parts, across the parts', async () => {
    const bytes = fixture('video-160x90-2s.mp4')
    const url = await createSession(running)
    const cut = [0, 5000, 11000, bytes.length]
    const parts = await Promise.all(
      cut.slice(1).map((end, i) => putPartOk(url, i, bytes.subarray(cut[i], end))),
    )
    const { json } = await complete(url, { parts })
    expect(json.data).toMatchObject({ kind: 'video', width: 160, height: 90, duration: 2 })
  })
})

describe('conditions at completion, on the measured values', () => {
  const attempt = async (name: string, rules: unknown[]) => {
    const url = await createSession(running, { resumable: true, conditions: rules })
    const part = await putPartOk(url, 0, fixture(name))
    return complete(url, { parts: [part] })
  }

  it('refuses a video wider than a width rule allows (422)', async () => {
    const { status, json } = await attempt('video-160x90-2s.mp4', [
      { prop: 'width', operator: '<=', value: 100 },
    ])
    expect(status).toBe(422)
    expect(json.error?.message).toMatch(/160/)
  })

  it('refuses a video longer than a duration rule allows (422)', async () => {
    const { status } = await attempt('video-160x90-2s.webm', [
      { prop: 'duration', operator: '<=', value: 1 },
    ])
    expect(status).toBe(422)
  })

  it('accepts a file that meets the measured rules', async () => {
    const { status } = await attempt('image-64x48.png', [
      { prop: 'width', operator: '==', value: 64 },
      { prop: 'height', operator: '<', value: 50 },
    ])
    expect(status).toBe(200)
  })

  it('leaves a rule on what could not be measured to the client', async () => {
    const { status } = await attempt('video-160x90-2s-no-duration.webm', [
      { prop: 'duration', operator: '<=', value: 1 },
    ])
    expect(status).toBe(200)
  })
})

describe('displaySize()', () => {
  const track = (matrix: number[]) =>
    ({ track_width: 1920, track_height: 1080, matrix }) as unknown as Parameters<
      typeof displaySize
    >[0]

  it('swaps width and height for a quarter-turn matrix (a phone held upright)', () => {
    const rotate90 = [0, 65536, 0, -65536, 0, 0, 0, 0, 1073741824]
    expect(displaySize(track(rotate90))).toEqual({ width: 1080, height: 1920 })
    const identity = [65536, 0, 0, 0, 65536, 0, 0, 0, 1073741824]
    expect(displaySize(track(identity))).toEqual({ width: 1920, height: 1080 })
  })
})
