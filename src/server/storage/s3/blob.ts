import { Readable } from 'node:stream'
import type { ByteRange } from '../types.ts'
import type { RangeRead } from './storage.ts'

/** What a ranged blob reads from: the store's ranged GET. */
export type RangeReader = (range: ByteRange) => Promise<RangeRead>

// Parsers read a header in many small steps (music-metadata asks for a few bytes at a time):
// small reads fetch aligned blocks, kept for the next steps, so a probe costs a few GETs.
const BLOCK = 256 * 1024
const BLOCKS_KEPT = 16

class BlockCache {
  readonly #blocks = new Map<number, Promise<Uint8Array>>()
  readonly #read: RangeReader
  readonly #size: number
  /** Bytes fetched from the store, so a test can show a probe reads only what it needs. */
  fetched = 0

  constructor(read: RangeReader, size: number) {
    this.#read = read
    this.#size = size
  }

  async fetch(start: number, end: number): Promise<Uint8Array> {
    const object = await this.#read({ start, end: end - 1 })
    const chunks: Buffer[] = []
    for await (const chunk of object.stream) chunks.push(chunk as Buffer)
    const bytes = new Uint8Array(Buffer.concat(chunks))
    this.fetched += bytes.byteLength
    return bytes
  }

  block(n: number): Promise<Uint8Array> {
    const held = this.#blocks.get(n)
    if (held) {
      this.#blocks.delete(n)
      this.#blocks.set(n, held)
      return held
    }
    const start = n * BLOCK
    const loading = this.fetch(start, Math.min(this.#size, start + BLOCK))
    // A failed read is not kept: the next probe step asks the store again.
    loading.catch(() => this.#blocks.delete(n))
    this.#blocks.set(n, loading)
    if (this.#blocks.size > BLOCKS_KEPT) {
      const oldest = this.#blocks.keys().next().value as number
      this.#blocks.delete(oldest)
    }
    return loading
  }

  async read(start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0)
    if (end - start >= BLOCK) return this.fetch(start, end)
    const first = Math.floor(start / BLOCK)
    const last = Math.floor((end - 1) / BLOCK)
    const out = new Uint8Array(end - start)
    for (let n = first; n <= last; n++) {
      const block = await this.block(n)
      const blockStart = n * BLOCK
      const from = Math.max(start, blockStart)
      const to = Math.min(end, blockStart + block.byteLength)
      out.set(block.subarray(from - blockStart, to - blockStart), from - start)
    }
    return out
  }
}

/**
 * An object in the store as a Blob whose bytes are fetched by range only when read: the probes
 * (image-size, mp4box, music-metadata, file-type) seek in it as in a file on disk, and a
 * video's index at its end costs a few ranged GETs, never the whole object.
 */
export class RangedBlob implements Blob {
  readonly size: number
  readonly type: string
  readonly #cache: BlockCache
  readonly #offset: number

  constructor(read: RangeReader | BlockCache, size: number, type = '', offset = 0) {
    this.#cache = read instanceof BlockCache ? read : new BlockCache(read, size)
    this.size = size
    this.type = type
    this.#offset = offset
  }

  /** Bytes read from the store so far, by this blob and every slice of it. */
  get bytesFetched(): number {
    return this.#cache.fetched
  }

  slice(start = 0, end = this.size, type = ''): Blob {
    const clamp = (at: number): number =>
      Math.max(0, Math.min(this.size, at < 0 ? this.size + at : at))
    const from = clamp(start)
    const to = Math.max(from, clamp(end))
    return new RangedBlob(this.#cache, to - from, type, this.#offset + from)
  }

  async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = await this.#cache.read(this.#offset, this.#offset + this.size)
    const copy = new Uint8Array(new ArrayBuffer(bytes.byteLength))
    copy.set(bytes)
    return copy
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.bytes()).buffer
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes())
  }

  stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    const cache = this.#cache
    const start = this.#offset
    const end = this.#offset + this.size
    async function* blocks() {
      for (let at = start; at < end; at += BLOCK) {
        yield await cache.read(at, Math.min(end, at + BLOCK))
      }
    }
    return Readable.toWeb(Readable.from(blocks())) as unknown as ReadableStream<
      Uint8Array<ArrayBuffer>
    >
  }
}
