import { createHash } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { ByteRange, Storage, StoredObject } from './types.ts'

/** Reads a stream to its end into one buffer; for the small ranges probing asks for. */
export async function collect(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The bytes of `range` in a stored object, from any store. */
export function readRange(
  storage: Storage,
  object: StoredObject,
  range: ByteRange,
): Promise<Uint8Array> {
  return collect(storage.read(object, range))
}

/** sha256 (hex) and size of the stored bytes: the proof that a round trip was byte-identical. */
export async function hashObject(
  storage: Storage,
  object: StoredObject,
): Promise<{ sha256: string; filesize: number }> {
  const hash = createHash('sha256')
  let filesize = 0
  for await (const chunk of storage.read(object)) {
    const bytes = chunk as Buffer
    hash.update(bytes)
    filesize += bytes.length
  }
  return { sha256: hash.digest('hex'), filesize }
}
