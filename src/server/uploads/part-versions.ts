import type { Storage, UploadTarget } from '../storage/types.ts'
import type { PartRecord, PartVersion, SessionRecord } from '../types.ts'

/**
 * Versions held per part index in an unfinished session. A client re-sends a part after a
 * failure it saw; a few versions cover a late original racing its retries, while a client
 * re-sending the same part forever cannot fill the disk.
 */
export const MAX_PART_VERSIONS = 3

/** Every version held for a part, newest first. */
export function versionsOf(part: PartRecord | undefined): PartVersion[] {
  if (!part) return []
  const { older, ...newest } = part
  return [newest, ...(older ?? [])]
}

/**
 * Records `version` as the newest of part `index`, keeping at most `MAX_PART_VERSIONS`.
 * Answers the versions pushed out, whose files the caller deletes once the record is saved.
 */
export function addVersion(
  record: SessionRecord,
  index: number,
  version: PartVersion,
): PartVersion[] {
  const key = String(index)
  const previous = versionsOf(record.parts[key])
  const kept = previous.slice(0, MAX_PART_VERSIONS - 1)
  record.parts[key] = kept.length > 0 ? { ...version, older: kept } : { ...version }
  return previous.slice(MAX_PART_VERSIONS - 1)
}

/** The version of part `index` whose etag is `etag`, or null when the server holds none. */
export function findVersion(
  record: SessionRecord,
  index: number,
  etag: string,
): PartVersion | null {
  return versionsOf(record.parts[String(index)]).find((version) => version.etag === etag) ?? null
}

/** Deletes part versions no record names any more; a failure only leaks bytes. */
export async function removeVersions(
  storage: Storage,
  upload: UploadTarget,
  index: number,
  versions: readonly PartVersion[],
): Promise<void> {
  await Promise.all(
    versions.map((version) =>
      storage.deletePart(upload, { index, ...version }).catch(() => undefined),
    ),
  )
}
