import type { IncomingMessage } from 'node:http'
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ClientGone, HttpError } from './reply.ts'

/** JSON bodies are small control messages; anything bigger is a mistake or an attack. */
export const JSON_LIMIT = 1024 * 1024

/**
 * How many bytes past a limit are still read and thrown away so the client can read the 413:
 * browsers report a connection reset mid-upload as a network error, hiding the status.
 * Beyond this the connection is cut instead.
 */
export const DRAIN_CAP = 64 * 1024 * 1024

export interface BodyOptions {
  /** Bytes kept; past it the body is drained and reported as too large. */
  limit: number
  /** Milliseconds without a byte before the request is cut. */
  stallMs: number
  /** Sees every chunk's size (upload statistics). */
  onBytes?: (bytes: number) => void
}

export class BodyStalled extends Error {}
export class BodyFar extends Error {}

/**
 * Counts the body, stops passing bytes on past the limit (but keeps reading them), and
 * destroys the pipeline when no byte came for `stallMs`, which cuts the socket.
 */
export class Meter extends Transform {
  bytes = 0
  overLimit = false
  readonly #options: BodyOptions
  #timer: NodeJS.Timeout | undefined

  constructor(options: BodyOptions) {
    super()
    this.#options = options
    this.#arm()
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.bytes += chunk.length
    this.#options.onBytes?.(chunk.length)
    this.#arm()
    if (this.bytes <= this.#options.limit) return callback(null, chunk)
    this.overLimit = true
    if (this.bytes > this.#options.limit + DRAIN_CAP) return callback(new BodyFar())
    callback()
  }

  override _flush(callback: TransformCallback) {
    clearTimeout(this.#timer)
    callback()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    clearTimeout(this.#timer)
    callback(error)
  }

  #arm() {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => this.destroy(new BodyStalled()), this.#options.stallMs)
    // A watchdog must never be what keeps the process alive.
    this.#timer.unref()
  }
}

/**
 * Feeds the body through `meter` into `sink`. Unlike `pipeline(req, …)`, a failure leaves the
 * connection open: a failing sink (a malformed form, a full disk) can still be answered, and
 * the caller cleans up before `bodyFailure` cuts a stalled or far too large body.
 */
export async function pipeBody(
  req: IncomingMessage,
  meter: Meter,
  sink: NodeJS.WritableStream,
): Promise<void> {
  const onClose = () => {
    if (!req.complete) meter.destroy(new ClientGone())
  }
  req.once('close', onClose)
  req.pipe(meter)
  try {
    await pipeline(meter, sink)
  } finally {
    req.off('close', onClose)
    req.unpipe(meter)
  }
}

/**
 * Turns a failed body into the answer it deserves, and cuts the connection when the body
 * stalled or is far too large (reading on would wait forever or waste the bandwidth). Call it
 * after cleaning up, so whoever sees the connection drop finds no trace of the body.
 */
export function bodyFailure(req: IncomingMessage, error: unknown, stallMs: number): Error {
  if (error instanceof BodyStalled || error instanceof BodyFar) req.destroy()
  if (error instanceof BodyStalled) {
    return new HttpError(408, `The request body sent nothing for ${stallMs / 1000} s and was cut`)
  }
  if (error instanceof BodyFar) return new HttpError(413, 'The request body is far too large')
  if (error instanceof HttpError || error instanceof ClientGone) return error
  if (!req.complete && req.destroyed) return new ClientGone()
  // The sink failed (a full disk, …): a 500 the client may retry.
  return error instanceof Error ? error : new Error(String(error))
}

export interface ReceivedBody<T> {
  /** What the consumer answered. */
  value: T
  /** Bytes the client sent. */
  size: number
  /** True when the body passed the limit: the consumer saw only the first `limit` bytes. */
  tooLarge: boolean
}

/**
 * Hands the body, metered (limit, stall watchdog, client gone), to `consume` as a stream,
 * never holding it in memory: a store writes it where it keeps bytes. A failure of the body
 * or of `consume` becomes the answer it deserves (see `bodyFailure`); `consume` cleans up
 * whatever it wrote before it rejects. Past the limit the caller must throw away what
 * `consume` stored.
 */
export async function receiveBody<T>(
  req: IncomingMessage,
  options: BodyOptions,
  consume: (body: Readable) => Promise<T>,
): Promise<ReceivedBody<T>> {
  const meter = new Meter(options)
  // A store may do its own I/O before it reads (open a file, sign a request); a stall or a
  // disconnect meanwhile must not become an unhandled 'error'. The store's read sees it.
  meter.on('error', () => undefined)
  const onClose = () => {
    if (!req.complete) meter.destroy(new ClientGone())
  }
  req.once('close', onClose)
  req.pipe(meter)
  let value: T
  try {
    value = await consume(meter)
  } catch (error) {
    throw bodyFailure(req, meter.errored ?? error, options.stallMs)
  } finally {
    req.off('close', onClose)
    req.unpipe(meter)
  }
  return { value, size: meter.bytes, tooLarge: meter.overLimit }
}

/** The body's `Content-Length`, or null when the request declared none (chunked). */
export function declaredLength(req: IncomingMessage): number | null {
  const text = req.headers['content-length']
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : null
}

/** Reads and parses a JSON body; an empty body is `undefined`. */
export async function readJson(
  req: IncomingMessage,
  options: Omit<BodyOptions, 'limit'>,
  limit = JSON_LIMIT,
): Promise<unknown> {
  const chunks: Buffer[] = []
  const meter = new Meter({ ...options, limit })
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk)
      callback()
    },
  })
  try {
    await pipeBody(req, meter, sink)
  } catch (error) {
    throw bodyFailure(req, error, options.stallMs)
  }
  if (meter.overLimit) {
    const mib = Math.round((limit / 1024 / 1024) * 10) / 10
    throw new HttpError(413, `A JSON body may not be larger than ${mib} MiB`)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'The request body is not valid JSON')
  }
}

/**
 * Reads the rest of a body and throws it away, so a refusal sent before the body was read
 * still reaches a browser (which reports a reset mid-upload as a network error).
 */
export async function drainBody(req: IncomingMessage, options: BodyOptions): Promise<void> {
  if (req.readableEnded || req.destroyed) return
  const sink = new Writable({
    write(_chunk, _encoding, callback) {
      callback()
    },
  })
  await pipeline(req, new Meter(options), sink).catch(() => undefined)
}

/** Waits for the first bytes of the body (or its end), then cuts the connection. */
export function dropAfterFirstBytes(
  req: IncomingMessage,
  onBytes?: (bytes: number) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const cut = () => {
      req.socket.destroy()
      resolve()
    }
    if (req.readableEnded || req.destroyed) return cut()
    req.once('data', (chunk: Buffer) => {
      onBytes?.(chunk.length)
      req.pause()
      cut()
    })
    req.once('end', cut)
    req.once('error', cut)
  })
}
