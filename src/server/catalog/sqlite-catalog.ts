import type { FileRecord, MediaRecord, SessionRecord } from '../types.ts'
import { type Database, openDatabase } from './sqlite.ts'
import { SqliteFiles } from './sqlite-files.ts'
import { SessionStore } from './sqlite-sessions.ts'
import type { Catalog, Commit } from './types.ts'

/**
 * The embedded catalog: `<dataDir>/partwise.sqlite` through better-sqlite3, for one server
 * process. better-sqlite3 is synchronous; these calls are async only to keep the seam's shape
 * (a PostgreSQL catalog answers over the network). One process owns the file, so the per-id
 * lock in memory is the whole of `updateSession`'s exclusion, and a cache of records is safe.
 */
export class SqliteCatalog implements Catalog {
  readonly #db: Database
  readonly #sessions: SessionStore
  readonly #files: SqliteFiles

  constructor(dataDir: string) {
    this.#db = openDatabase(dataDir)
    this.#sessions = new SessionStore(this.#db)
    this.#files = new SqliteFiles(this.#db)
  }

  async check(): Promise<void> {
    this.#db.prepare('SELECT 1').get()
  }

  createSession(record: SessionRecord): Promise<void> {
    return this.#sessions.create(record)
  }

  getSession(id: string): Promise<SessionRecord | null> {
    return this.#sessions.get(id)
  }

  updateSession<T>(
    id: string,
    change: (record: SessionRecord, commit: Commit) => Promise<T> | T,
  ): Promise<T> {
    return this.#sessions.update(id, (record, inner) =>
      change(record, {
        addFile: (file, media) => inner.also(() => this.#add(file, media)),
      }),
    )
  }

  async expiredSessions(now: number, limit: number): Promise<SessionRecord[]> {
    return this.#sessions.expired(now, limit)
  }

  deleteSession(id: string): Promise<void> {
    return this.#sessions.delete(id)
  }

  async addFile(file: FileRecord, media: MediaRecord | null): Promise<void> {
    this.#files.transaction(() => this.#add(file, media))
  }

  #add(file: FileRecord, media: MediaRecord | null): void {
    if (media) this.#files.insertMedia(media)
    this.#files.insertFile(file)
  }

  async getMedia(id: string): Promise<MediaRecord | null> {
    return this.#files.getMedia(id)
  }

  async getFile(id: string): Promise<FileRecord | null> {
    return this.#files.getFile(id)
  }

  async fileAt(key: string): Promise<FileRecord | null> {
    return this.#files.fileAt(key)
  }

  async filesOf(mediaId: string): Promise<FileRecord[]> {
    return this.#files.filesOf(mediaId)
  }

  async countFiles(): Promise<number> {
    return this.#files.countFiles()
  }

  async listFiles(offset: number, limit: number): Promise<FileRecord[]> {
    return this.#files.listFiles(offset, limit)
  }

  async updateFile(record: FileRecord): Promise<void> {
    this.#files.updateFile(record)
  }

  async deleteFile(id: string): Promise<boolean> {
    return this.#files.deleteFile(id)
  }

  async close(): Promise<void> {
    this.#db.close()
  }
}
