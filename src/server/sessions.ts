import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeJsonAtomic } from './atomic.ts'
import type { SessionRecord } from './types.ts'

/**
 * Upload sessions, one directory each under `<dataDir>/sessions/<id>/`:
 * `session.json` (the record, rewritten atomically) and `parts/<index>` (the part bytes).
 *
 * The in-memory cache is authoritative while the process runs; the disk is read only for a
 * session this process has not seen (a restart on the same data directory). Every change goes
 * through `update`, which runs one change per session at a time: parts arrive in parallel and
 * each one rewrites the record, so unserialised writes would lose etags.
 */
export class SessionStore {
  readonly root: string
  readonly #cache = new Map<string, SessionRecord>()
  readonly #locks = new Map<string, Promise<unknown>>()

  constructor(dataDir: string) {
    this.root = join(dataDir, 'sessions')
  }

  dir(id: string): string {
    return join(this.root, id)
  }

  partPath(id: string, index: number): string {
    return join(this.root, id, 'parts', String(index))
  }

  async create(record: SessionRecord): Promise<void> {
    await mkdir(join(this.dir(record.id), 'parts'), { recursive: true })
    await this.#persist(record)
    this.#cache.set(record.id, record)
  }

  /** The session, or null when no session has this id. */
  async get(id: string): Promise<SessionRecord | null> {
    const cached = this.#cache.get(id)
    if (cached) return cached
    let text: string
    try {
      text = await readFile(join(this.dir(id), 'session.json'), 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    const record = JSON.parse(text) as SessionRecord
    // Another request may have loaded it while this one read the file: keep the first.
    const raced = this.#cache.get(id)
    if (raced) return raced
    this.#cache.set(id, record)
    return record
  }

  /**
   * Runs `change` on the session with no other change to it in flight, then persists the
   * record. When `change` throws, nothing is persisted and the error propagates; `change`
   * must then leave the record as it found it.
   */
  async update<T>(id: string, change: (record: SessionRecord) => Promise<T> | T): Promise<T> {
    return this.#exclusive(id, async () => {
      const record = await this.get(id)
      if (!record) throw new Error(`Session ${id} vanished`)
      const result = await change(record)
      await this.#persist(record)
      return result
    })
  }

  async #persist(record: SessionRecord): Promise<void> {
    await writeJsonAtomic(join(this.dir(record.id), 'session.json'), record)
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
