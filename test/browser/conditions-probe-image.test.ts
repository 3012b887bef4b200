import { describe, expect, it } from 'vitest'
import { probeFile } from '../../src/conditions/index.ts'
import gifUrl from '../fixtures/media/image-40x30.gif?url'
import webpUrl from '../fixtures/media/image-50x20.webp?url'
import avifUrl from '../fixtures/media/image-64x32.avif?url'
import pngUrl from '../fixtures/media/image-64x48.png?url'
import jpegUrl from '../fixtures/media/photo-exif6-48x64.jpg?url'
import truncatedPngUrl from '../fixtures/media/truncated.png?url'
import undecodablePngUrl from '../fixtures/media/undecodable.png?url'
import webmUrl from '../fixtures/media/video-160x90-2s.webm?url'

const MEASURES = new Set(['kind', 'width', 'height', 'duration'] as const)

async function load(url: string, name: string, type = ''): Promise<File> {
  const blob = await (await fetch(url)).blob()
  return new File([blob], name, { type })
}

describe('probeFile() on images', () => {
  it.each([
    ['PNG', pngUrl, 'a.png', 'image/png', 64, 48],
    ['GIF', gifUrl, 'a.gif', 'image/gif', 40, 30],
    ['WebP', webpUrl, 'a.webp', 'image/webp', 50, 20],
    ['AVIF', avifUrl, 'a.avif', 'image/avif', 64, 32],
  ])('reads the width and height of a %s', async (_, url, name, type, width, height) => {
    const file = await load(url, name, type)
    expect(await probeFile(file, MEASURES)).toEqual({
      kind: 'image',
      width,
      height,
      duration: null,
    })
  })

  it('reports a JPEG with EXIF orientation 6 (stored 64×48) as it displays: 48 wide, 64 tall', async () => {
    const file = await load(jpegUrl, 'portrait.jpg', 'image/jpeg')
    const probed = await probeFile(file, new Set(['width', 'height']))
    expect(probed).toEqual({ kind: 'image', width: 48, height: 64 })

    // The same file in an <img> on the page, laid out at its natural size.
    const img = document.createElement('img')
    const url = URL.createObjectURL(file)
    img.src = url
    document.body.append(img)
    await img.decode()
    const box = img.getBoundingClientRect()
    expect([box.width, box.height]).toEqual([probed.width, probed.height])
    img.remove()
    URL.revokeObjectURL(url)
  })

  it('gives null dimensions for a truncated PNG, although its header still names a size', async () => {
    const file = await load(truncatedPngUrl, 'cut.png', 'image/png')
    expect(await probeFile(file, new Set(['width', 'height']))).toEqual({
      kind: 'image',
      width: null,
      height: null,
    })
  })

  it('gives null dimensions for a file that claims to be a PNG and is not', async () => {
    const file = await load(undecodablePngUrl, 'fake.png', 'image/png')
    expect(await probeFile(file, new Set(['width', 'height']))).toEqual({
      kind: 'image',
      width: null,
      height: null,
    })
  })
})

describe('probeFile() on files the browser gives no type', () => {
  it('knows a PNG by its first bytes when it has neither type nor extension', async () => {
    const file = await load(pngUrl, 'upload')
    expect(await probeFile(file, new Set(['mimetype', 'kind', 'width']))).toEqual({
      mimetype: 'image/png',
      kind: 'image',
      width: 64,
    })
  })

  it('knows a WebM by its extension and measures it', async () => {
    const file = await load(webmUrl, 'clip.webm')
    expect(await probeFile(file, new Set(['mimetype', 'duration']))).toEqual({
      mimetype: 'video/webm',
      kind: 'video',
      duration: expect.closeTo(2, 1),
    })
  })
})
