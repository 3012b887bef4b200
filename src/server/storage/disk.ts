import { constants, createReadStream, createWriteStream } from 'node:fs'
import { access, mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { randomId } from '../ids.ts'
import type { ManifestPart } from '../types.ts'
import type {
  ByteRange,
  PartRef,
  Storage,
  StoredObject,
  UploadTarget,
  WrittenPart,
} from './types.ts'

/**
 * The store on one local disk, under `root` (the data directory):
 * - an upload's parts in `<root>/<key>/parts/<index>.<etag>`, one file per held version;
 * - a whole file at `<root>/<key>`.
 * Every body streams to an `incoming-…` temp file next to its place and is renamed there only
 * once complete, so a dropped connection never leaves half a part that counts. Completion
 * joins nothing: the file's manifest lists the part files, and reads go part after part, so
 * completing costs O(parts), not O(bytes) (PERFORMANCE.md).
 */
export class DiskStorage implements Storage {
  readonly root: string
  readonly description: string

  constructor(root: string) {
    this.root = root
    this.description = `disk ${root}`
  }

  async check(): Promise<void> {
    try {
      await access(this.root, constants.W_OK)
    } catch (error) {
      throw new Error(`The data directory ${this.root} cannot be written to`, { cause: error })
    }
  }

  async beginUpload(key: string): Promise<string> {
    await mkdir(join(this.root, key, 'parts'), { recursive: true })
    return ''
  }

  async writePart(
    upload: UploadTarget,
    index: number,
    body: Readable,
    _length: number | null,
  ): Promise<WrittenPart> {
    const temp = join(this.root, upload.key, `incoming-${randomId()}`)
    const size = await this.#receive(body, temp)
    // A random id plus the size, not a content hash: hashing every byte would cost server CPU
    // that on a small machine comes straight out of the client's throughput (PERFORMANCE.md).
    const etag = `${randomId('', 9)}-${size}`
    const file = `${index}.${etag}`
    await this.#place(temp, this.#partPath(upload, index, file))
    return { etag, size, file }
  }

  async deletePart(upload: UploadTarget, part: PartRef): Promise<void> {
    await rm(this.#partPath(upload, part.index, part.file), { force: true })
  }

  async completeUpload(upload: UploadTarget, parts: readonly PartRef[]): Promise<StoredObject> {
    const manifest: ManifestPart[] = parts.map((part) => ({
      path: join(upload.key, 'parts', part.file ?? String(part.index)),
      size: part.size,
    }))
    return { size: sizeOf(manifest), manifest }
  }

  async abortUpload(upload: UploadTarget): Promise<void> {
    await rm(join(this.root, upload.key), { recursive: true, force: true })
  }

  async putObject(key: string, body: Readable, _length: number | null): Promise<StoredObject> {
    const path = join(this.root, key)
    await mkdir(dirname(path), { recursive: true })
    const temp = join(dirname(path), `incoming-${randomId()}`)
    const size = await this.#receive(body, temp)
    await this.#place(temp, path)
    return { size, manifest: [{ path: key, size }] }
  }

  read(object: StoredObject, range?: ByteRange): Readable {
    const { root } = this
    async function* chunks() {
      let offset = 0
      for (const part of object.manifest) {
        const partStart = offset
        offset += part.size
        if (part.size === 0) continue
        if (range && (offset <= range.start || partStart > range.end)) continue
        const start = range ? Math.max(0, range.start - partStart) : 0
        const end = range ? Math.min(part.size, range.end - partStart + 1) - 1 : part.size - 1
        yield* createReadStream(join(root, part.path), { start, end })
      }
    }
    return Readable.from(chunks())
  }

  async stat(object: StoredObject): Promise<number | null> {
    try {
      const sizes = await Promise.all(
        object.manifest.map(async (part) => (await stat(join(this.root, part.path))).size),
      )
      return sizes.reduce((sum, size) => sum + size, 0)
    } catch {
      return null
    }
  }

  /** Bytes a reader is still streaming stay readable until it is done (POSIX keeps an open file alive). */
  async delete(object: StoredObject): Promise<void> {
    await Promise.all(
      object.manifest.map((part) => rm(join(this.root, part.path), { force: true })),
    )
  }

  async close(): Promise<void> {}

  #partPath(upload: UploadTarget, index: number, file: string | undefined): string {
    return join(this.root, upload.key, 'parts', file ?? String(index))
  }

  /** Streams `body` into `temp`; on failure the temp file is gone before the error propagates. */
  async #receive(body: Readable, temp: string): Promise<number> {
    const out = createWriteStream(temp)
    try {
      await pipeline(body, out)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
    return out.bytesWritten
  }

  async #place(temp: string, path: string): Promise<void> {
    try {
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  }
}

function sizeOf(manifest: readonly ManifestPart[]): number {
  return manifest.reduce((sum, part) => sum + part.size, 0)
}
