import { describe, expect, it } from 'vitest'
import { checkFile, parseConditions } from '../../src/conditions/index.ts'
import oggUrl from '../fixtures/media/audio-1.5s.ogg?url'
import pngUrl from '../fixtures/media/image-64x48.png?url'
import jpegUrl from '../fixtures/media/photo-exif6-48x64.jpg?url'
import truncatedMp4Url from '../fixtures/media/truncated.mp4?url'
import webmUrl from '../fixtures/media/video-160x90-2s.webm?url'

async function load(url: string, name: string, type = ''): Promise<File> {
  const blob = await (await fetch(url)).blob()
  return new File([blob], name, { type })
}

describe('checkFile() in the browser', () => {
  const guide = parseConditions({
    operator: '&&',
    rules: [
      { key: 'kind', operator: '==', value: 'video' },
      { key: 'filesize', operator: '<=', value: 100 * 1024 * 1024 },
      { key: 'width', operator: '<=', value: 1920 },
      { key: 'height', operator: '<=', value: 1920 },
      { key: 'duration', operator: '<=', value: 300 },
    ],
  })

  it("passes a small WebM video under the upload guide's example conditions", async () => {
    expect(await checkFile(await load(webmUrl, 'a.webm', 'video/webm'), guide)).toEqual([])
  })

  it('refuses an image under those conditions, saying why, and not what follows from it', async () => {
    const failures = await checkFile(await load(pngUrl, 'a.png', 'image/png'), guide)
    // An image has no duration: "could not read this image's duration" would be noise.
    expect(failures.map((f) => [f.code, f.message])).toEqual([
      ['rule_failed', 'Only video files are accepted; this is an image'],
    ])
  })

  it('refuses a video too long, with the lengths in words', async () => {
    const node = parseConditions([{ prop: 'duration', operator: '<=', value: 1 }])
    const failures = await checkFile(await load(webmUrl, 'a.webm', 'video/webm'), node)
    expect(failures).toMatchObject([
      { code: 'rule_failed', message: 'This video is 2 s long; the limit is 1 s' },
    ])
  })

  it('refuses an undecodable video as unreadable, never waving it through', async () => {
    const node = parseConditions([{ prop: 'duration', operator: '<=', value: 300 }])
    const failures = await checkFile(await load(truncatedMp4Url, 'cut.mp4', 'video/mp4'), node)
    expect(failures).toMatchObject([
      { code: 'unreadable', actual: null, message: "Could not read this video's duration" },
    ])
  })

  it('accepts (video && short) || image for an image, and for a short video', async () => {
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
    expect(await checkFile(await load(jpegUrl, 'a.jpg', 'image/jpeg'), node)).toEqual([])
    expect(await checkFile(await load(webmUrl, 'a.webm', 'video/webm'), node)).toEqual([])
    const audio = await checkFile(await load(oggUrl, 'a.ogg', 'audio/ogg'), node)
    expect(audio.map((f) => f.message)).toEqual([
      'The file must be a video up to 5 min long, or an image; this is an audio file',
    ])
  })
})
