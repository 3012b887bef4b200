import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { SessionRecord } from '../types.ts'
import type { Database } from './sqlite.ts'

/** Writes to run in the same transaction as a session's change (a completion's records). */
export interface Commit {
  also(write: () => void): void
}

/**
 * Upload sessions: the record in the `sessions` table, the part bytes in
 * `<dataDir>/sessions/<id>/parts/<index>.<etag>` (one file per held version, see `PartRecord`).
 *
 * Every change goes through `update`, which runs one change per session at a time (parts arrive
 * in parallel and each one rewrites the record, so unserialised writes would lose etags) and
 * writes the record to the database before it returns. Records are cached in memory, the least
 * recently used let go beyond `cacheLimit` (never one with a change in flight); the database is
 * read for a session not in the cache (let go, or from before a restart).
 */
export class SessionStore {
  readonly root: string
  readonly #db: Database
  readonly #cache = new Map<string, SessionRecord>()
  readonly #locks = new Map<string, Promise<unknown>>()
  readonly cacheLimit: number

  constructor(dataDir: string, db: Database, cacheLimit = 1000) {
    this.root = join(dataDir, 'sessions')
    this.#db = db
    this.cacheLimit = cacheLimit
  }

  /** How many records are held in memory (at most `cacheLimit`, plus any being changed). */
  get cached(): number {
    return this.#cache.size
  }

  /** Caches `record` as the most recently used, letting go of the least recently used. */
  #remember(record: SessionRecord): void {
    this.#cache.delete(record.id)
    this.#cache.set(record.id, record)
    for (const id of this.#cache.keys()) {
      if (this.#cache.size <= this.cacheLimit) break
      if (id !== record.id && !this.#locks.has(id)) this.#cache.delete(id)
    }
  }

  dir(id: string): string {
    return join(this.root, id)
  }

  /** A part version's file: `file` when the record names one, else the unversioned `<index>`. */
  partPath(id: string, index: number, file?: string): string {
    return join(this.root, id, 'parts', file ?? String(index))
  }

  async create(record: SessionRecord): Promise<void> {
    await mkdir(join(this.dir(record.id), 'parts'), { recursive: true })
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
    return this.#exclusive(id, async () => {
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

  async #exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve()
    const run = previous.then(task)
    const tail = run.catch(() => undefined)
    this.#locks.set(id, tail)
    try {
      return await run
    } finally {
      if (this.#locks.get(id) === tail) this.#locks.delete(id)
    }
  }
}
