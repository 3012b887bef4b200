import type { MediaProps } from '../../conditions/types.ts'
import { safeUploadedName, urlKey } from '../catalog/names.ts'
import { mediaObject, newFileRecord, newMediaRecord } from '../catalog/objects.ts'
import type { Commit } from '../catalog/types.ts'
import type { App } from '../http/context.ts'
import { HttpError } from '../http/reply.ts'
import { randomId } from '../ids.ts'
import { type Probed, probeMedia } from '../media/server-probe.ts'
import { storedBlob } from '../media/stored-blob.ts'
import type { StoredObject } from '../storage/types.ts'
import type { MediaObject, SessionRecord } from '../types.ts'
import { enforceConditions } from './conditions.ts'

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
 * Turns an upload's stored bytes into a media and its original file: reads the bytes for the
 * type and measures (ranged reads of the store), applies the session's conditions (422 when
 * they refuse), and queues the records on `commit`, so they land in the same transaction that
 * spends the key.
 */
export async function storeUpload(
  app: App,
  session: SessionRecord,
  stored: StoredObject,
  uploadedName: string | null,
  commit: Commit,
): Promise<MediaObject> {
  const filename = session.filename ?? safeUploadedName(uploadedName)
  const filesize = stored.size
  const probed = await probeMedia(storedBlob(app.storage, stored), filename)
  const refusal = enforceConditions(session, measuredProps(probed, filesize))
  if (refusal !== null) throw new HttpError(422, refusal)

  const file = newFileRecord({
    mediaId: randomId('med_'),
    probed,
    filesize,
    manifest: [...stored.manifest],
    folder: session.folder,
    filename,
    metadata: session.metadata,
    ref: null,
    original: true,
  })
  // A name only the browser gave claims no URL another file holds (see `FileRecord.ownUrl`).
  // Checked under the session's lock, not the catalog's: two uploads of one new name that
  // complete in the same instant may still share it.
  if (session.filename === null && filename !== null) {
    if (await app.catalog.fileAt(urlKey('', session.folder, filename))) file.ownUrl = true
  }
  const media = newMediaRecord(file.file, session.alias, session.metadata)
  commit.addFile(file, media)
  return mediaObject(media, [file], app.origin())
}
