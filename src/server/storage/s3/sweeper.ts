import type { PendingUpload } from './pending.ts'
import type { S3Storage } from './storage.ts'

/** Answers whether a session still owns this multipart upload. */
export type IsLive = (upload: PendingUpload) => boolean | Promise<boolean>

/**
 * A session's multipart upload is created before its record is saved: one younger than this is
 * left alone, so that a sweep never races a session being created.
 */
export const SWEEP_GRACE_MS = 60_000

/**
 * Aborts every multipart upload under the store's prefix that no live session owns (cancelled,
 * expired, or left by a server that stopped between creating it and saving the session), so
 * no upload stays orphaned and billed. The cancel and expiry paths abort their own upload at
 * once; this catches what they could not (the store was down then, the server crashed).
 * Resolves with the uploads it aborted.
 */
export async function sweepUploads(
  store: S3Storage,
  isLive: IsLive,
  now = Date.now(),
  graceMs = SWEEP_GRACE_MS,
): Promise<PendingUpload[]> {
  const aborted: PendingUpload[] = []
  for (const upload of await store.pendingUploads()) {
    const age = upload.initiated ? now - upload.initiated.getTime() : Number.POSITIVE_INFINITY
    if (age < graceMs || (await isLive(upload))) continue
    await store.abortUpload(upload)
    aborted.push(upload)
  }
  return aborted
}
