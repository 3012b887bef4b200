import { PREFIX, type ResumeRecord } from '../resume-store.ts'
import { deleteCopy, listCopies } from './copy.ts'
import { allEntries, deleteEntry, getEntry, type KeptEntry } from './db.ts'

/** A resume record in `localStorage`, with the file identity its key holds (`resumeKey`). */
export interface FoundRecord {
  key: string
  name: string
  size: number
  type: string
  lastModified: number
  endpoint: string
  record: ResumeRecord
}

/** The same checks as the core's store (resume-store.ts): anything else is not ours. */
const valid = (r: ResumeRecord | null, now: number): r is ResumeRecord =>
  typeof r?.url === 'string' &&
  Number.isInteger(r.chunkSize) &&
  r.chunkSize > 0 &&
  r.expires > now &&
  r.parts instanceof Object

const storage = (): Storage | null => {
  try {
    return localStorage
  } catch {
    return null
  }
}

/**
 * Every live record; an expired, corrupt or malformed one is removed on the way (the sweep the
 * core's store used to do, here beside the handles and copies that go with the records).
 */
export function readRecords(now: number, dead?: Set<string>): FoundRecord[] {
  const store = storage()
  const found: FoundRecord[] = []
  if (!store) return found
  for (let i = store.length; i--; ) {
    const item = store.key(i)
    if (!item?.startsWith(PREFIX)) continue
    const key = item.slice(PREFIX.length)
    try {
      const record = JSON.parse(store.getItem(item) ?? 'null') as ResumeRecord | null
      const [name, size, type, lastModified, endpoint] = JSON.parse(key) as [
        string,
        number,
        string,
        number,
        string,
      ]
      if (valid(record, now) && typeof size === 'number') {
        found.push({ key, name, size, type, lastModified, endpoint, record })
        continue
      }
    } catch {}
    store.removeItem(item)
    dead?.add(key)
  }
  return found
}

export const removeRecord = (key: string): void => storage()?.removeItem(PREFIX + key)

/** Forgets what is kept beside a record: the entry and the private copy (never a user's file). */
export async function forgetKept(key: string, entry?: KeptEntry): Promise<void> {
  const kept = entry ?? (await getEntry(key).catch(() => undefined))
  if (kept?.copy) await deleteCopy(kept.copy)
  if (kept) await deleteEntry(key).catch(() => undefined)
}

/** How long an entry without a record is kept: an upload that just began has no record yet. */
const YOUNG_MS = 60_000

/**
 * Removes what no live record needs: expired records with their entries and copies, entries
 * whose record is gone (unless a page holds its lock, or it is young: an upload that just began
 * has no record yet), and copies no entry names.
 */
export async function sweep(now: number, held: ReadonlySet<string>): Promise<FoundRecord[]> {
  const dead = new Set<string>()
  const records = readRecords(now, dead)
  const live = new Set(records.map((r) => r.key))
  try {
    const entries = await allEntries()
    const named = new Set<string>()
    for (const entry of entries) {
      // A record that expired takes its handle and copy with it, however young the entry.
      const busy =
        held.has(`partwise:${entry.key}`) ||
        held.has(`partwise-copy:${entry.key}`) ||
        (now - entry.at < YOUNG_MS && !dead.has(entry.key))
      if (live.has(entry.key) || busy) {
        if (entry.copy) named.add(entry.copy)
      } else {
        await forgetKept(entry.key, entry)
      }
    }
    for (const name of await listCopies()) {
      if (!named.has(name)) await deleteCopy(name)
    }
  } catch {
    // No IndexedDB (some private modes): nothing kept, nothing to sweep.
  }
  return records
}
