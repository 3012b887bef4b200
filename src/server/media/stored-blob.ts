import { readRange } from '../storage/read-all.ts'
import type { Storage, StoredObject } from '../storage/types.ts'

/** What the parsers use of a Blob: strtok3's BlobTokenizer reads `size`, `type` and slices. */
export interface RangedBlob {
  readonly size: number
  readonly type: string
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> }
}

/**
 * Parsers read far less than they ask for one by one (file-type peeks a few bytes at a time):
 * each store read fetches at least this much and keeps it, so probing costs a few ranged
 * reads (one GetObject each on S3), never the whole object.
 */
const WINDOW = 256 * 1024

/**
 * A stored object as a lazily read Blob: every slice is a ranged read of the store, so a
 * parser that seeks (a `moov` at the end, an Ogg's last page) reads only what it needs.
 */
export function storedBlob(storage: Storage, object: StoredObject): RangedBlob {
  let cached: { start: number; bytes: Uint8Array } | null = null
  async function bytes(start: number, end: number): Promise<ArrayBuffer> {
    if (end <= start) return new ArrayBuffer(0)
    const held = cached
    if (!held || start < held.start || end > held.start + held.bytes.length) {
      const last = Math.min(object.size, Math.max(end, start + WINDOW)) - 1
      cached = { start, bytes: await readRange(storage, object, { start, end: last }) }
    }
    const current = cached as { start: number; bytes: Uint8Array }
    const from = start - current.start
    // A copy: a Buffer's own bytes may sit in a shared pool larger than the slice.
    return new Uint8Array(current.bytes.subarray(from, from + (end - start))).buffer
  }
  const clamp = (value: number | undefined, fallback: number) => {
    const n = value ?? fallback
    return Math.max(0, Math.min(object.size, n < 0 ? object.size + n : n))
  }
  return {
    size: object.size,
    type: '',
    slice(start, end) {
      const from = clamp(start, 0)
      const to = Math.max(from, clamp(end, object.size))
      return { arrayBuffer: () => bytes(from, to) }
    },
  }
}
