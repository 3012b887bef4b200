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

/** Every record's `localStorage` key starts with this, then its `resumeKey`. */
export const PREFIX = 'partwise:v1:'

/** The identity of a file at an endpoint: a record is only used for the same file, same place. */
export function resumeKey(file: Blob, endpoint: string): string {
  const named = file as Partial<File>
  return JSON.stringify([named.name ?? '', file.size, file.type, named.lastModified ?? 0, endpoint])
}

/**
 * A store over `localStorage`. Private mode, a full quota, a blocked storage or a corrupt entry
 * all degrade to "nothing stored", never to an exception in the middle of an upload.
 * A record is checked, and dropped if expired, when it is read. The records of uploads never
 * finished (a closed tab) are swept, with their handles and private copies, by the chunk of
 * #16 (interrupted/sweep.ts) whenever it is loaded: `findInterruptedUploads()` (which the
 * components call) or an upload from a handle or with `keepCopy`. Not here: the core's bytes
 * paid for #16's hook with it.
 */
export function localStorageStore(now: () => number = Date.now): ResumeStore | null {
  /** Every failure is swallowed: a store must never break an upload. */
  const attempt = <T>(work: () => T): T | null => {
    try {
      return work()
    } catch {
      return null
    }
  }
  // Absent (server rendering), or a sandboxed iframe that throws on the access.
  const storage = attempt(() => localStorage)
  if (!storage) return null
  const remove = (item: string): void => void attempt(() => storage.removeItem(item))
  /** The record under `item`, or null; a corrupt, malformed or expired one is removed. */
  const read = (item: string): ResumeRecord | null => {
    const r = attempt(() => JSON.parse(storage.getItem(item) ?? 'null') as ResumeRecord | null)
    // A whole part size, a future expiry, an object of parts: anything else is not ours.
    if (
      typeof r?.url === 'string' &&
      Number.isInteger(r.chunkSize) &&
      r.chunkSize > 0 &&
      r.expires > now() &&
      r.parts instanceof Object
    ) {
      return r
    }
    remove(item)
    return null
  }
  return {
    get: (key) => read(PREFIX + key),
    // Quota exceeded: the upload goes on, it just cannot be resumed after a reload.
    set: (key, record) => void attempt(() => storage.setItem(PREFIX + key, JSON.stringify(record))),
    remove: (key) => remove(PREFIX + key),
  }
}

/** A store in memory: for tests, and for a caller that wants resume within one page only. */
export function memoryStore(): ResumeStore {
  const records = new Map<string, string>()
  return {
    get: (key) => JSON.parse(records.get(key) ?? 'null') as ResumeRecord | null,
    set: (key, record) => void records.set(key, JSON.stringify(record)),
    remove: (key) => void records.delete(key),
  }
}

/**
 * This tab's hold on one file's record. Two tabs uploading the same file to the same endpoint
 * must not share one record: both would send to one URL and the second completion would find
 * it spent. A Web Lock per record key decides; the tab that does not get it uploads on a session
 * of its own, without a record. Until the lock answers (a few milliseconds), the record is not
 * ours: nothing is written to it, so a tab that loses the race never touches the winner's.
 * https://developer.mozilla.org/docs/Web/API/Web_Locks_API
 */
export interface RecordClaim {
  /** The stored record, whoever owns it: read it only to know whether to wait for `decided`. */
  readonly record: ResumeRecord | null
  /** True once the lock is ours (or this browser has no Web Locks). */
  readonly owned: boolean
  /** Settles when the lock has answered. */
  readonly decided: Promise<void>
  /** Writes the record, when it is ours. */
  save(record: ResumeRecord): void
  /** Removes the record, when it is ours. */
  forget(): void
  /** Lets go of the lock, now or as soon as it is granted; the record stays. */
  release(): void
}

export function claimRecord(store: ResumeStore, key: string): RecordClaim {
  let owned = false
  let released = false
  let unlock = (): void => undefined
  const locks = globalThis.navigator?.locks
  const decided = new Promise<void>((decide) => {
    const answer = (lock: (() => void) | boolean): void => {
      owned = lock !== false
      if (typeof lock === 'function') unlock = lock
      // Ended before the answer: give the lock straight back.
      if (released) unlock()
      decide()
    }
    if (!locks) return answer(true)
    locks
      .request(`partwise:${key}`, { ifAvailable: true }, (lock) =>
        // Held until the release is called: the returned promise is the lock's lifetime (its
        // resolve is the release).
        lock ? new Promise<void>(answer) : answer(false),
      )
      .catch(() => answer(true))
  })
  return {
    get record() {
      return store.get(key)
    },
    get owned() {
      return owned
    },
    decided,
    save: (record) => owned && store.set(key, record),
    forget: () => owned && store.remove(key),
    release() {
      released = true
      unlock()
    },
  }
}
