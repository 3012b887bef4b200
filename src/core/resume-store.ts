/** What is kept of an unfinished upload so that a reloaded page can continue it. */
export interface ResumeRecord {
  /** The upload URL the parts went to. */
  url: string
  /** The part size the parts were cut with: a resumed upload must cut the same way. */
  chunkSize: number
  /** Acknowledged parts: index → etag. */
  parts: Record<number, string>
  /** When the record stops being worth trying (ms since the epoch). */
  expires: number
}

/** Where resume records live. Every method may fail silently: a store never breaks an upload. */
export interface ResumeStore {
  get(key: string): ResumeRecord | null
  set(key: string, record: ResumeRecord): void
  remove(key: string): void
}

const PREFIX = 'partwise:v1:'

/** The identity of a file at an endpoint: a record is only used for the same file, same place. */
export function resumeKey(file: Blob, endpoint: string): string {
  const named = file as Partial<File>
  return JSON.stringify([named.name ?? '', file.size, file.type, named.lastModified ?? 0, endpoint])
}

function isRecord(value: unknown): value is ResumeRecord {
  if (typeof value !== 'object' || value === null) return false
  const r = value as Record<string, unknown>
  return (
    typeof r.url === 'string' &&
    typeof r.chunkSize === 'number' &&
    r.chunkSize > 0 &&
    typeof r.expires === 'number' &&
    typeof r.parts === 'object' &&
    r.parts !== null
  )
}

/**
 * A store over `localStorage`. Private mode, a full quota, a blocked storage or a corrupt entry
 * all degrade to "nothing stored", never to an exception in the middle of an upload.
 */
export function localStorageStore(now: () => number = Date.now): ResumeStore | null {
  let storage: Storage
  try {
    if (typeof localStorage === 'undefined') return null
    storage = localStorage
  } catch {
    return null // a sandboxed iframe throws on the mere access
  }
  sweepExpired(storage, now())
  return {
    get(key) {
      try {
        const raw = storage.getItem(PREFIX + key)
        if (raw === null) return null
        const parsed: unknown = JSON.parse(raw)
        if (!isRecord(parsed) || parsed.expires <= now()) {
          storage.removeItem(PREFIX + key)
          return null
        }
        return parsed
      } catch {
        return null
      }
    },
    set(key, record) {
      try {
        storage.setItem(PREFIX + key, JSON.stringify(record))
      } catch {
        // Quota exceeded: the upload goes on, it just cannot be resumed after a reload.
      }
    },
    remove(key) {
      try {
        storage.removeItem(PREFIX + key)
      } catch {
        // Nothing to do: a record we cannot remove expires by itself.
      }
    },
  }
}

function sweepExpired(storage: Storage, time: number): void {
  try {
    for (let i = storage.length - 1; i >= 0; i--) {
      const key = storage.key(i)
      if (key === null || !key.startsWith(PREFIX)) continue
      try {
        const parsed: unknown = JSON.parse(storage.getItem(key) ?? 'null')
        if (!isRecord(parsed) || parsed.expires <= time) storage.removeItem(key)
      } catch {
        storage.removeItem(key)
      }
    }
  } catch {
    // A storage that cannot be listed is left alone.
  }
}

/** A store in memory: for tests, and for a caller that wants resume within one page only. */
export function memoryStore(): ResumeStore {
  const records = new Map<string, string>()
  return {
    get: (key) => {
      const raw = records.get(key)
      return raw === undefined ? null : (JSON.parse(raw) as ResumeRecord)
    },
    set: (key, record) => void records.set(key, JSON.stringify(record)),
    remove: (key) => void records.delete(key),
  }
}
