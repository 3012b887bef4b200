import { createHash } from 'node:crypto'
import { createReadStream, openAsBlob } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { ManifestPart } from '../types.ts'

/**
 * A file's bytes as one Blob over its part files, read lazily: parsers seek in it (a moov at
 * the end, an Ogg's last page) without the parts ever being joined or loaded into memory.
 */
export async function partsBlob(dataDir: string, manifest: readonly ManifestPart[]): Promise<Blob> {
  const blobs = await Promise.all(
    manifest.filter((part) => part.size > 0).map((part) => openAsBlob(join(dataDir, part.path))),
  )
  return new Blob(blobs)
}

/**
 * The bytes `start`..`end` (inclusive) of a file, read part after part from its manifest;
 * the whole file without a range. Nothing was ever joined on disk.
 */
export function byteStream(
  dataDir: string,
  manifest: readonly ManifestPart[],
  range?: { start: number; end: number },
): Readable {
  async function* chunks() {
    let offset = 0
    for (const part of manifest) {
      const partStart = offset
      offset += part.size
      if (part.size === 0) continue
      if (range && (offset <= range.start || partStart > range.end)) continue
      const start = range ? Math.max(0, range.start - partStart) : 0
      const end = range ? Math.min(part.size, range.end - partStart + 1) - 1 : part.size - 1
      yield* createReadStream(join(dataDir, part.path), { start, end })
    }
  }
  return Readable.from(chunks())
}

/** sha256 (hex) and size of the stored bytes: the proof that a round trip was byte-identical. */
export async function hashBytes(
  dataDir: string,
  manifest: readonly ManifestPart[],
): Promise<{ sha256: string; filesize: number }> {
  const hash = createHash('sha256')
  let filesize = 0
  for await (const chunk of byteStream(dataDir, manifest)) {
    const bytes = chunk as Buffer
    hash.update(bytes)
    filesize += bytes.length
  }
  return { sha256: hash.digest('hex'), filesize }
}
