import type { SessionRecord } from '../types.ts'
import { KeyedQueue } from './keyed-queue.ts'
import type { Database } from './sqlite.ts'

/** Writes to run in the same transaction as a session's change (a completion's records). */
export interface Commit {
  also(write: () => void): void
}

/**
 * Upload sessions in the `sessions` table (their bytes are the store's).
 *
 * Every change goes through `update`, which runs one change per session at a time (parts arrive
 * in parallel and each one rewrites the record, so unserialised writes would lose etags) and
 * writes the record to the database before it returns. Records are cached in memory, the least
 * recently used let go beyond `cacheLimit` (never one with a change in flight); the database is
 * read for a session not in the cache (let go, or from before a restart).
 */
export class SessionStore {
  readonly #db: Database
  readonly #cache = new Map<string, SessionRecord>()
  readonly #queue = new KeyedQueue()
  readonly cacheLimit: number

  constructor(db: Database, cacheLimit = 1000) {
    this.#db = db
    this.cacheLimit = cacheLimit
  }

  /** How many records are held in memory (at most `cacheLimit`, plus any being changed). */
  get cached(): number {
    return this.#cache.size
  }

  /**
   * Caches `record` as the most recently used. Adding one lets go of the least recently used;
   * a hit only moves to the front.
   */
  #remember(record: SessionRecord): void {
    const hit = this.#cache.delete(record.id)
    this.#cache.set(record.id, record)
    if (hit) return
    for (const id of this.#cache.keys()) {
      if (this.#cache.size <= this.cacheLimit) break
      if (id !== record.id && !this.#queue.busy(id)) this.#cache.delete(id)
    }
  }

  async create(record: SessionRecord): Promise<void> {
    this.#db
      .prepare('INSERT INTO sessions (id, record) VALUES (?, ?)')
      .run(record.id, JSON.stringify(record))
    this.#remember(record)
  }

  /** The session, or null when no session has this id. */
  async get(id: string): Promise<SessionRecord | null> {
    const cached = this.#cache.get(id)
    if (cached) {
      this.#remember(cached)
      return cached
    }
    const row = this.#db.prepare('SELECT record FROM sessions WHERE id = ?').get(id) as
      | { record: string }
      | undefined
    if (!row) return null
    const record = JSON.parse(row.record) as SessionRecord
    this.#remember(record)
    return record
  }

  /**
   * Runs `change` on the session with no other change to it in flight, then writes the record
   * and whatever `change` queued with `commit.also` in one transaction: a completion's media,
   * file and spent key land together or not at all. When `change` throws, nothing is written
   * and the error propagates; `change` must then leave the record as it found it.
   */
  async update<T>(
    id: string,
    change: (record: SessionRecord, commit: Commit) => Promise<T> | T,
  ): Promise<T> {
    return this.#queue.run(id, async () => {
      const record = await this.get(id)
      if (!record) throw new Error(`Session ${id} vanished`)
      const writes: Array<() => void> = []
      const result = await change(record, { also: (write) => writes.push(write) })
      const save = this.#db.prepare('UPDATE sessions SET record = ? WHERE id = ?')
      try {
        this.#db.transaction(() => {
          save.run(JSON.stringify(record), id)
          for (const write of writes) write()
        })()
      } catch (error) {
        // The cached record holds the change the database refused: read it afresh next time.
        this.#cache.delete(id)
        throw error
      }
      return result
    })
  }

  /** Removes a session, once no change to it is in flight. */
  async delete(id: string): Promise<void> {
    await this.#queue.run(id, async () => {
      this.#db.prepare('DELETE FROM sessions WHERE id = ?').run(id)
      this.#cache.delete(id)
    })
  }

  /** Unspent sessions whose URL expired before `now`, oldest first. */
  expired(now: number, limit: number): SessionRecord[] {
    const rows = this.#db
      .prepare(
        `SELECT record FROM sessions
         WHERE json_extract(record, '$.spent') = 0 AND json_extract(record, '$.expiresAt') < ?
         ORDER BY json_extract(record, '$.expiresAt') LIMIT ?`,
      )
      .all(now, limit) as Array<{ record: string }>
    return rows.map((row) => {
      const record = JSON.parse(row.record) as SessionRecord
      return this.#cache.get(record.id) ?? record
    })
  }
}
