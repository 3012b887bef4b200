import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Readable } from 'node:stream'
import { writeJsonAtomic } from './atomic.ts'
import { enforceConditions } from './conditions.ts'
import type { App } from './context.ts'
import { HttpError } from './http.ts'
import { isoNow, randomId } from './ids.ts'
import { readHead, sniffType } from './sniff.ts'
import type { MediaObject, MediaRecord, SessionRecord } from './types.ts'

const MEDIA_ID = /^med_[A-Za-z0-9_-]{8,64}$/

function mediaPath(dataDir: string, id: string): string {
  return join(dataDir, 'media', `${id}.json`)
}

/** An absolute part file and its size, in file order. */
export interface StoredPart {
  path: string
  size: number
}

/**
 * Turns stored parts into a media: reads the first bytes for the type, applies the session's
 * conditions (422 when they refuse), and writes `media/<id>.json` with the manifest (the part
 * files in order). The parts stay where they are: completion costs O(parts), not O(bytes),
 * because copying them into one file would cost the client's throughput (PERFORMANCE.md).
 * The caller spends the key afterwards, inside the session's lock.
 */
export async function storeMedia(
  app: App,
  session: SessionRecord,
  parts: readonly StoredPart[],
  uploadedName: string | null,
): Promise<MediaObject> {
  const first = parts[0]
  if (!first) throw new HttpError(400, 'An upload needs at least one part')
  const filename = session.filename ?? uploadedName
  const filesize = parts.reduce((sum, part) => sum + part.size, 0)
  const { mimetype, kind } = sniffType(await readHead(first.path), filename)
  // Width, height and duration are not read from the bytes yet: left out, not null.
  const refusal = enforceConditions(session, { kind, mimetype, filesize })
  if (refusal !== null) throw new HttpError(422, refusal)

  const id = randomId('med_')
  const now = isoNow()
  const media: MediaObject = {
    id,
    object: 'media',
    kind,
    type: mimetype,
    width: null,
    height: null,
    duration: null,
    filesize,
    alias: session.alias,
    sources: [
      {
        id: randomId('src_'),
        object: 'source',
        label: 'original',
        url: `${app.origin()}/${id}/original`,
        type: mimetype,
        filesize,
      },
    ],
    metadata: session.metadata,
    filename,
    folder: session.folder,
    created: now,
    updated: now,
    status: 'active',
  }
  const dataDir = app.options.dataDir
  const record: MediaRecord = {
    media,
    manifest: parts.map((part) => ({ path: relative(dataDir, part.path), size: part.size })),
  }
  await mkdir(join(dataDir, 'media'), { recursive: true })
  await writeJsonAtomic(mediaPath(dataDir, id), record)
  return media
}

/** The stored media record, or null for an unknown (or malformed) id. */
export async function readMediaRecord(dataDir: string, id: string): Promise<MediaRecord | null> {
  if (!MEDIA_ID.test(id)) return null
  try {
    return JSON.parse(await readFile(mediaPath(dataDir, id), 'utf8')) as MediaRecord
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** The media's bytes, read part after part from the manifest. */
export function mediaStream(dataDir: string, record: MediaRecord): Readable {
  async function* chunks() {
    for (const part of record.manifest) {
      if (part.size === 0) continue
      yield* createReadStream(join(dataDir, part.path))
    }
  }
  return Readable.from(chunks())
}

/** sha256 (hex) and size of the stored bytes: the proof that a round trip was byte-identical. */
export async function hashMedia(
  dataDir: string,
  record: MediaRecord,
): Promise<{ sha256: string; filesize: number }> {
  const hash = createHash('sha256')
  let filesize = 0
  for await (const chunk of mediaStream(dataDir, record)) {
    const bytes = chunk as Buffer
    hash.update(bytes)
    filesize += bytes.length
  }
  return { sha256: hash.digest('hex'), filesize }
}
