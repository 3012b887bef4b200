import type { FileRecord, MediaRecord, SessionRecord } from '../types.ts'

/**
 * The records' seam: upload sessions, media and files. SQLite (catalog/sqlite-catalog.ts) is
 * the embedded default; a PostgreSQL catalog implements the same calls so that any node
 * behind a load balancer can take any request. Every call is async, and nothing outside a
 * catalog caches a record: a cache that a stale entry could make answer wrongly belongs
 * inside the implementation, if anywhere.
 */
export interface Catalog {
  /** Resolves once the database answers (the health check); rejects with why not. */
  check(): Promise<void>

  /** Stores a new session; its id is new. */
  createSession(record: SessionRecord): Promise<void>

  /** The session, or null when no session has this id. */
  getSession(id: string): Promise<SessionRecord | null>

  /**
   * Runs `change` on the session while no other change to that session runs anywhere (one
   * node: a lock per id; PostgreSQL: `SELECT … FOR UPDATE` in the transaction), then writes
   * the changed record and whatever `change` queued on `commit` in one transaction: a
   * completion's media, its file and its spent key land together or not at all. `change` may
   * do I/O (store a part, probe the media) and reads the record as it is now, so a second
   * completion of the same upload sees `spent` and the media id the first one wrote: that is
   * what makes completion idempotent. When `change` throws, nothing is written and the error
   * propagates. Rejects when the session does not exist.
   */
  updateSession<T>(
    id: string,
    change: (record: SessionRecord, commit: Commit) => Promise<T> | T,
  ): Promise<T>

  /**
   * Unspent sessions whose upload URL expired before `now` (epoch ms), oldest first, at most
   * `limit`: what a sweeper aborts in the store (`Storage.abortUpload`) and then deletes.
   */
  expiredSessions(now: number, limit: number): Promise<SessionRecord[]>

  /** Removes a session record; absent is fine. */
  deleteSession(id: string): Promise<void>

  /** Stores a media with its original file, or a file that joins a media, in one transaction. */
  addFile(file: FileRecord, media: MediaRecord | null): Promise<void>

  getMedia(id: string): Promise<MediaRecord | null>

  getFile(id: string): Promise<FileRecord | null>

  /**
   * The file a URL serves (`urlKey` of catalog/names.ts): of the files that share it, the
   * most recently updated, with no tie (a counter, not a clock).
   */
  fileAt(key: string): Promise<FileRecord | null>

  /** A media's files, the original first, then in the order they were made. */
  filesOf(mediaId: string): Promise<FileRecord[]>

  countFiles(): Promise<number>

  /** One page of files, newest first. */
  listFiles(offset: number, limit: number): Promise<FileRecord[]>

  /** Rewrites a file (its URL may have moved) and makes it the most recently updated. */
  updateFile(record: FileRecord): Promise<void>

  /** True when a file was removed. */
  deleteFile(id: string): Promise<boolean>

  /** Lets go of the database; the server calls it once, on `close()`. */
  close(): Promise<void>
}

/** Records to write in the same transaction as a session's change. */
export interface Commit {
  /** A new media and its original file (a completion). */
  addFile(file: FileRecord, media: MediaRecord | null): void
}
