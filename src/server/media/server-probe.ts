import { imageSize } from 'image-size'
import { parseBlob } from 'music-metadata'
import { isoProps, readMovie } from './server-probe-iso.ts'
import { type Sniffed, sniffType } from './server-sniff.ts'
import type { RangedBlob } from './stored-blob.ts'

/** Everything the server reads from a file's bytes; null where it could not be read. */
export interface Probed extends Sniffed {
  width: number | null
  height: number | null
  duration: number | null
  fps: number | null
}

type Measures = Pick<Probed, 'width' | 'height' | 'duration' | 'fps'>

const NOTHING: Measures = { width: null, height: null, duration: null, fps: null }

/**
 * image-size reads the header; every format it knows keeps the size in the first few hundred
 * bytes, but a JPEG may carry a large EXIF block before its frame header.
 */
const IMAGE_HEAD = 512 * 1024

/** ISO base media containers: mp4box reads their index; music-metadata has no video sizes there. */
const ISO_FORMATS = new Set(['mp4', 'mov', 'm4a', 'm4v', 'm4b', '3gp', '3g2', 'f4v'])

const positive = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : null

/** EXIF orientations 5–8 turn the picture a quarter: it shows with width and height swapped. */
async function imageMeasures(blob: RangedBlob): Promise<Measures> {
  const head = new Uint8Array(await blob.slice(0, IMAGE_HEAD).arrayBuffer())
  const size = imageSize(head)
  const turned = size.orientation !== undefined && size.orientation >= 5
  return {
    ...NOTHING,
    width: positive(turned ? size.height : size.width),
    height: positive(turned ? size.width : size.height),
  }
}

async function isoMeasures(blob: RangedBlob, sniffed: Sniffed): Promise<Probed> {
  const movie = await readMovie(blob)
  if (!movie) return { ...sniffed, ...NOTHING }
  const { hasVideo, ...measures } = isoProps(movie)
  // An MP4 with sound only (a voice memo) is audio, whatever its brand said.
  if (!hasVideo && movie.audioTracks.length > 0 && sniffed.kind === 'video') {
    return { ...sniffed, mimetype: 'audio/mp4', kind: 'audio', ...measures, fps: null }
  }
  return { ...sniffed, ...measures }
}

/** Every other audio and video container (WebM, Matroska, Ogg, MP3, WAV, FLAC…). */
async function containerMeasures(blob: RangedBlob, sniffed: Sniffed): Promise<Probed> {
  // `duration: false`: music-metadata then reads headers (and estimates a CBR MP3's length)
  // instead of scanning every frame of a file that may be gigabytes.
  const { format } = await parseBlob(blob as Blob, { duration: false, skipCovers: true })
  const video = format.trackInfo.find((track) => track.video)?.video
  const duration = positive(format.duration)
  const measures: Measures = {
    width: positive(video?.displayWidth ?? video?.pixelWidth),
    height: positive(video?.displayHeight ?? video?.pixelHeight),
    duration: duration === null ? null : Math.round(duration * 1000) / 1000,
    fps: null,
  }
  // Matroska's track type 2 is audio (music-metadata reports it as read).
  const hasAudio = format.trackInfo.some((track) => track.audio !== undefined || track.type === 2)
  if (sniffed.kind === 'video' && !video && hasAudio) {
    // A WebM with sound only is what MediaRecorder makes of a voice recording.
    const mimetype = sniffed.mimetype.replace(/^video\//, 'audio/')
    return { ...sniffed, mimetype, kind: 'audio', ...measures }
  }
  return { ...sniffed, ...measures }
}

/**
 * Reads a file's type, kind, format, size, duration and frame rate from its bytes, with
 * well-kept parsers rather than our own: file-type for the type, image-size for pictures
 * (EXIF orientation included), mp4box for MP4/MOV indexes, music-metadata for the other
 * audio and video containers. A measure that cannot be read (a truncated or undecodable file)
 * is null; the file is still kept, as its bytes are what the client sent.
 */
export async function probeMedia(blob: RangedBlob, filename: string | null): Promise<Probed> {
  const sniffed = await sniffType(blob, filename)
  try {
    if (sniffed.kind === 'image') return { ...sniffed, ...(await imageMeasures(blob)) }
    if (sniffed.format !== null && ISO_FORMATS.has(sniffed.format)) {
      return await isoMeasures(blob, sniffed)
    }
    if (sniffed.kind !== null) return await containerMeasures(blob, sniffed)
  } catch {
    // An undecodable file: its type stands, its measures are unknown.
  }
  return { ...sniffed, ...NOTHING }
}
