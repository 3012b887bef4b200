import { afterEach, describe, expect, it, vi } from 'vitest'
import { probeFile } from '../../src/conditions/index.ts'
import m4aUrl from '../fixtures/media/audio-1.5s.m4a?url'
import mp3Url from '../fixtures/media/audio-1.5s.mp3?url'
import oggUrl from '../fixtures/media/audio-1.5s.ogg?url'
import wavUrl from '../fixtures/media/audio-1.5s.wav?url'
import truncatedMp4Url from '../fixtures/media/truncated.mp4?url'
import undecodableWebmUrl from '../fixtures/media/undecodable.webm?url'
import movUrl from '../fixtures/media/video-160x90-2s.mov?url'
import mp4Url from '../fixtures/media/video-160x90-2s.mp4?url'
import webmUrl from '../fixtures/media/video-160x90-2s.webm?url'
import liveWebmUrl from '../fixtures/media/video-160x90-2s-no-duration.webm?url'

const MEASURES = new Set(['kind', 'width', 'height', 'duration'] as const)

async function load(url: string, name: string, type = ''): Promise<File> {
  const blob = await (await fetch(url)).blob()
  return new File([blob], name, { type })
}

/** Chromium builds differ: H.264 and AAC are missing from some (Playwright's own, Debian's at times). */
const canPlay = (type: string) => document.createElement('video').canPlayType(type) !== ''
const h264 = canPlay('video/mp4; codecs="avc1.42E01E, mp4a.40.2"')
const aac = canPlay('audio/mp4; codecs="mp4a.40.2"')
const mp3 = canPlay('audio/mpeg')

afterEach(() => {
  vi.restoreAllMocks()
})

describe('probeFile() on video', () => {
  it('reads the width, height and duration of a VP9/Opus WebM', async () => {
    const probed = await probeFile(await load(webmUrl, 'a.webm', 'video/webm'), MEASURES)
    expect(probed).toEqual({
      kind: 'video',
      width: 160,
      height: 90,
      duration: expect.closeTo(2, 1),
    })
  })

  it('finds the duration of a WebM whose header has none (as MediaRecorder writes)', async () => {
    const probed = await probeFile(await load(liveWebmUrl, 'rec.webm', 'video/webm'), MEASURES)
    expect(probed).toEqual({
      kind: 'video',
      width: 160,
      height: 90,
      duration: expect.closeTo(2, 1),
    })
  })

  it.each([
    ['MP4', mp4Url, 'a.mp4', 'video/mp4'],
    ['MOV', movUrl, 'a.mov', 'video/quicktime'],
  ])(
    `reads an H.264 %s where this Chromium decodes H.264 (${h264}), else gives null`,
    async (_, url, name, type) => {
      const probed = await probeFile(await load(url, name, type), MEASURES)
      expect(probed).toEqual(
        h264
          ? { kind: 'video', width: 160, height: 90, duration: expect.closeTo(2, 1) }
          : { kind: 'video', width: null, height: null, duration: null },
      )
    },
  )

  it('gives null for an MP4 cut before its index', async () => {
    const file = await load(truncatedMp4Url, 'cut.mp4', 'video/mp4')
    expect(await probeFile(file, MEASURES)).toEqual({
      kind: 'video',
      width: null,
      height: null,
      duration: null,
    })
  })

  it('gives null for a text file named .webm', async () => {
    const file = await load(undecodableWebmUrl, 'fake.webm', 'video/webm')
    expect(await probeFile(file, MEASURES)).toEqual({
      kind: 'video',
      width: null,
      height: null,
      duration: null,
    })
  })
})

describe('probeFile() on audio', () => {
  it.each([
    ['WAV', wavUrl, 'a.wav', 'audio/wav', true],
    ['Ogg Vorbis', oggUrl, 'a.ogg', 'audio/ogg', true],
    ['MP3', mp3Url, 'a.mp3', 'audio/mpeg', mp3],
    ['M4A (AAC)', m4aUrl, 'a.m4a', 'audio/mp4', aac],
  ])(
    'reads the duration of a %s (decodable here: %s), and no width',
    async (_, url, name, type, decodes) => {
      const probed = await probeFile(await load(url, name, type), MEASURES)
      expect(probed).toEqual({
        kind: 'audio',
        width: null,
        height: null,
        duration: decodes ? expect.closeTo(1.5, 1) : null,
      })
    },
  )
})

describe('probeFile() resources', () => {
  it('revokes its object URL and empties the element, on success and on failure', async () => {
    const created: string[] = []
    const revoked: string[] = []
    const elements: HTMLMediaElement[] = []
    const createObjectURL = URL.createObjectURL.bind(URL)
    const createElement = document.createElement.bind(document)
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = createObjectURL(blob)
      created.push(url)
      return url
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation((url) => revoked.push(url))
    vi.spyOn(document, 'createElement').mockImplementation((tag: string) => {
      const element = createElement(tag)
      if (element instanceof HTMLMediaElement) elements.push(element)
      return element
    })
    await probeFile(await load(webmUrl, 'a.webm', 'video/webm'), new Set(['duration']))
    await probeFile(await load(undecodableWebmUrl, 'b.webm', 'video/webm'), new Set(['duration']))
    await probeFile(await load(wavUrl, 'c.wav', 'audio/wav'), new Set(['duration']))
    expect(created).toHaveLength(3)
    expect(revoked).toEqual(created)
    expect(elements).toHaveLength(3)
    for (const element of elements) {
      expect(element.hasAttribute('src')).toBe(false)
      // Its media dropped: no metadata, no decoder.
      expect(element.readyState).toBe(HTMLMediaElement.HAVE_NOTHING)
      expect(element.isConnected).toBe(false)
    }
  })

  it('gives up after timeoutMs, with null for what it could not read in time', async () => {
    const file = await load(webmUrl, 'a.webm', 'video/webm')
    expect(await probeFile(file, new Set(['duration']), { timeoutMs: 0 })).toEqual({
      kind: 'video',
      duration: null,
    })
  })

  it('reads no media when only the size and type are needed', async () => {
    const spy = vi.spyOn(document, 'createElement')
    const file = await load(webmUrl, 'a.webm', 'video/webm')
    expect(await probeFile(file, new Set(['filesize', 'kind']))).toEqual({
      filesize: file.size,
      kind: 'video',
    })
    expect(spy).not.toHaveBeenCalled()
  })
})
