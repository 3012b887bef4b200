import { kindOf, sniffType } from './browser-sniff.ts'
import type { ConditionKey, MediaProps } from './types.ts'

type Measures = Pick<MediaProps, 'width' | 'height' | 'duration'>

const MEASURED = ['width', 'height', 'duration'] as const

export interface ProbeOptions {
  /**
   * How long one media probe may take before its properties count as unreadable (null).
   * @default 10000
   */
  timeoutMs?: number | undefined
}

/**
 * Reads what `keys` need of a file, in the browser, and nothing more: the size and type cost
 * nothing, while dimensions and duration need the browser to decode the file's header. A needed
 * property that cannot be read (undecodable, truncated, not a medium that has it, timed out) is
 * null, which the conditions treat as a failure.
 */
export async function probeFile(
  file: Blob,
  keys: ReadonlySet<ConditionKey>,
  options: ProbeOptions = {},
): Promise<MediaProps> {
  const props: MediaProps = {}
  if (keys.has('filesize')) props.filesize = file.size
  const measures = MEASURED.some((key) => keys.has(key))
  if (!measures && !keys.has('kind') && !keys.has('mimetype')) return props
  const mimetype = await sniffType(file)
  const kind = mimetype === null ? null : kindOf(mimetype)
  if (keys.has('mimetype')) props.mimetype = mimetype
  // With any measure, the kind comes free, and the messages need it to say "this video".
  if (keys.has('kind') || measures) props.kind = kind
  if (!measures) return props
  const timeoutMs = options.timeoutMs ?? 10_000
  const found =
    kind === 'image'
      ? await measureImage(file, timeoutMs)
      : kind === 'video' || kind === 'audio'
        ? await measureMedia(file, kind, timeoutMs)
        : {}
  for (const key of MEASURED) if (keys.has(key)) props[key] = found[key] ?? null
  return props
}

/**
 * createImageBitmap rather than an <img>: it applies the EXIF orientation (so a portrait photo
 * stored sideways reports the size it displays at), and it rejects a truncated file, where an
 * <img> loads happily from the header alone. It also works in a worker.
 */
function measureImage(file: Blob, timeoutMs: number): Promise<Measures> {
  if (typeof createImageBitmap !== 'function') return Promise.resolve({})
  return settle(timeoutMs, (done) => {
    createImageBitmap(file, { imageOrientation: 'from-image' }).then(
      (bitmap) => {
        done({ width: bitmap.width, height: bitmap.height })
        // The decoded pixels are not needed: free them now rather than at garbage collection.
        bitmap.close()
      },
      () => done({}),
    )
  })
}

/** A <video>/<audio> told to load metadata only: no frame is decoded. */
function measureMedia(file: Blob, tag: 'video' | 'audio', timeoutMs: number): Promise<Measures> {
  if (typeof document === 'undefined') return Promise.resolve({})
  return settle(timeoutMs, (done) => {
    const url = URL.createObjectURL(file)
    const element = document.createElement(tag)
    const report = () => {
      const { duration } = element
      const { videoWidth, videoHeight } = element as Partial<HTMLVideoElement>
      done({
        // An audio track alone reports 0×0 in a <video>: it has no dimensions.
        width: videoWidth || null,
        height: videoHeight || null,
        duration: Number.isFinite(duration) ? duration : null,
      })
    }
    element.preload = 'metadata'
    element.muted = true
    element.onerror = () => done({})
    element.onloadedmetadata = () => {
      if (element.duration !== Number.POSITIVE_INFINITY) return report()
      // WebM written by MediaRecorder has no duration in its header, and Chromium says Infinity
      // until it has seen the end: seeking far past it makes it look. https://crbug.com/642012
      element.ondurationchange = () => {
        if (element.duration !== Number.POSITIVE_INFINITY) report()
      }
      element.currentTime = Number.MAX_SAFE_INTEGER
    }
    element.src = url
    return () => {
      element.onerror = element.onloadedmetadata = element.ondurationchange = null
      // Removing src and calling load() is what makes the element drop its decoder and buffers.
      element.removeAttribute('src')
      element.load()
      URL.revokeObjectURL(url)
    }
  })
}

/**
 * Runs `start` until it reports or `timeoutMs` passes, whichever is first (then with nothing
 * found), and runs the cleanup it returns exactly once.
 */
function settle(
  timeoutMs: number,
  start: (done: (found: Measures) => void) => (() => void) | undefined,
): Promise<Measures> {
  return new Promise((resolve) => {
    let cleanup: (() => void) | undefined
    const done = (found: Measures) => {
      clearTimeout(timer)
      cleanup?.()
      cleanup = undefined
      resolve(found)
    }
    const timer = setTimeout(done, timeoutMs, {})
    cleanup = start(done)
  })
}
