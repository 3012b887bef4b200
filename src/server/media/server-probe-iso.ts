import { createFile, type Movie, MP4BoxBuffer, type Track } from 'mp4box'
import type { RangedBlob } from './stored-blob.ts'

/** Bytes asked of the file per step; mp4box says where the next step starts. */
const STEP = 1024 * 1024
/** A `moov` is rarely more than a few MiB: past this the index is taken as unreadable. */
const MAX_READ = 64 * 1024 * 1024

/**
 * The index (`moov`) of an ISO base media file (MP4, MOV, M4A, 3GP), read with mp4box. Each
 * step reads where mp4box asks next, which jumps over the media data (`mdat`): a file whose
 * index comes last costs a few reads, not the whole file. Null when no index could be read
 * (a truncated upload).
 */
export async function readMovie(blob: RangedBlob): Promise<Movie | null> {
  const file = createFile(false)
  const found: { movie?: Movie } = {}
  file.onReady = (movie) => {
    found.movie = movie
  }
  file.onError = () => undefined
  let position = 0
  let read = 0
  while (!found.movie && position < blob.size && read < MAX_READ) {
    const bytes = await blob.slice(position, position + STEP).arrayBuffer()
    read += bytes.byteLength
    const next = file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes, position))
    // An incomplete box makes mp4box ask for bytes it was already given: go on after them.
    position = Math.max(next, position + bytes.byteLength)
  }
  return found.movie ?? null
}

/** A track's size as shown: a 90° or 270° rotation in its matrix swaps width and height. */
export function displaySize(track: Track): { width: number; height: number } | null {
  const width = track.video?.width ?? track.track_width
  const height = track.video?.height ?? track.track_height
  if (!(width > 0 && height > 0)) return null
  const [a = 0, b = 0, , c = 0, d = 0] = Array.from(track.matrix ?? [])
  const quarterTurn = a === 0 && d === 0 && b !== 0 && c !== 0
  return quarterTurn ? { width: height, height: width } : { width, height }
}

export interface IsoProps {
  hasVideo: boolean
  width: number | null
  height: number | null
  duration: number | null
  fps: number | null
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits

/** What the index says: the first video track's size and frame rate, the movie's duration. */
export function isoProps(movie: Movie): IsoProps {
  const video = movie.videoTracks[0]
  const size = video ? displaySize(video) : null
  const seconds = movie.timescale > 0 ? movie.duration / movie.timescale : 0
  const trackSeconds = video && video.timescale > 0 ? video.duration / video.timescale : 0
  return {
    hasVideo: video !== undefined,
    width: size?.width ?? null,
    height: size?.height ?? null,
    duration: seconds > 0 ? round(seconds, 3) : null,
    fps: video && trackSeconds > 0 ? round(video.nb_samples / trackSeconds, 3) : null,
  }
}
