import type { Catalog } from '../catalog/types.ts'
import type { Storage } from '../storage/types.ts'
import { uploadTarget } from './access.ts'

/** Sessions handled per sweep: a backlog is worked off over the next sweeps. */
const BATCH = 100

/**
 * Drops what expired sessions left in the store, then their records: on S3 each one owns a
 * multipart upload (made when the session was), which would otherwise stay, and be billed,
 * forever. A cancelled upload is an unused session that expires like any other. A store that
 * is down leaves the session for the next sweep. Resolves with the sessions swept.
 */
export async function sweepExpiredSessions(
  catalog: Catalog,
  storage: Storage,
  now = Date.now(),
): Promise<number> {
  let swept = 0
  for (const session of await catalog.expiredSessions(now, BATCH)) {
    if (session.resumable) await storage.abortUpload(uploadTarget(session))
    await catalog.deleteSession(session.id)
    swept += 1
  }
  return swept
}

/**
 * Runs the sweep every `intervalMs` (never two at once) until the returned function is called,
 * then also lets the store sweep what no session owns (an upload begun by a server that
 * stopped before saving the session), where the store can list its uploads.
 */
export function startSessionSweeper(
  catalog: Catalog,
  storage: () => Storage,
  intervalMs: number,
): () => void {
  let running = false
  const isLive = async (key: string, uploadId: string): Promise<boolean> => {
    // Keys that are not a session's (a simple upload in progress) are not the sweeper's.
    if (!key.startsWith('sessions/')) return true
    const session = await catalog.getSession(key.slice('sessions/'.length))
    return session !== null && session.uploadId === uploadId
  }
  const timer = setInterval(() => {
    if (running) return
    running = true
    const store = storage()
    sweepExpiredSessions(catalog, store)
      .then(() => store.sweepOrphans?.(isLive))
      // A store or database that is down now is swept at a later tick.
      .catch(() => undefined)
      .finally(() => {
        running = false
      })
  }, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
