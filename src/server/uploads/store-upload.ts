import { relative } from 'node:path'
import type { MediaProps } from '../../conditions/types.ts'
import { safeUploadedName } from '../catalog/names.ts'
import { mediaObject, newFileRecord, newMediaRecord } from '../catalog/objects.ts'
import type { Commit } from '../catalog/sqlite-sessions.ts'
import type { App } from '../http/context.ts'
import { HttpError } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import { type Probed, probeMedia } from '../media/server-probe.ts'
import { partsBlob } from '../storage/disk-bytes.ts'
import type { ManifestPart, MediaObject, SessionRecord } from '../types.ts'
import { enforceConditions } from './conditions.ts'

/** An absolute part file and its size, in file order. */
export interface StoredPart {
  path: string
  size: number
}

/**
 * What the conditions see: every measure that was read; one that could not be read is left
 * out (not null), so rules on it pass here: they were the client's to check, and refusing
 * them would refuse every file this server cannot decode.
 */
export function measuredProps(probed: Probed, filesize: number): MediaProps {
  const props: MediaProps = { kind: probed.kind, mimetype: probed.mimetype, filesize }
  if (probed.width !== null) props.width = probed.width
  if (probed.height !== null) props.height = probed.height
  if (probed.duration !== null) props.duration = probed.duration
  return props
}

/**
 * Turns an upload's stored parts into a media and its original file: reads the bytes for the
 * type and measures, applies the session's conditions (422 when they refuse), and queues the
 * records on `commit`, so they land in the same transaction that spends the key. The parts
 * stay where they are: completion costs O(parts), not O(bytes), because copying them into
 * one file would cost the client's throughput (PERFORMANCE.md).
 */
export async function storeUpload(
  app: App,
  session: SessionRecord,
  parts: readonly StoredPart[],
  uploadedName: string | null,
  commit: Commit,
): Promise<MediaObject> {
  if (parts.length === 0) throw new HttpError(400, 'An upload needs at least one part')
  const dataDir = app.options.dataDir
  const filename = session.filename ?? safeUploadedName(uploadedName)
  const filesize = parts.reduce((sum, part) => sum + part.size, 0)
  const manifest: ManifestPart[] = parts.map((part) => ({
    path: relative(dataDir, part.path),
    size: part.size,
  }))
  const probed = await probeMedia(await partsBlob(dataDir, manifest), filename)
  const refusal = enforceConditions(session, measuredProps(probed, filesize))
  if (refusal !== null) throw new HttpError(422, refusal)

  const file = newFileRecord({
    mediaId: randomId('med_'),
    probed,
    filesize,
    manifest,
    folder: session.folder,
    filename,
    metadata: session.metadata,
    ref: null,
    original: true,
  })
  const media = newMediaRecord(file.file, session.alias, session.metadata)
  commit.also(() => {
    app.catalog.insertMedia(media)
    app.catalog.insertFile(file)
  })
  return mediaObject(media, [file], app.origin())
}
