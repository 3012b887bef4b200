import type { FileRecord, MediaRecord } from '../types.ts'
import { fileUrlKey } from './names.ts'
import type { Database } from './sqlite.ts'

interface FileRow {
  record: string
}

const parse = (row: FileRow | undefined): FileRecord | null =>
  row ? (JSON.parse(row.record) as FileRecord) : null

/**
 * Media and files in the database, for catalog/sqlite-catalog.ts. Synchronous, as better-sqlite3 is: each call is one short
 * statement, and a caller that needs several to land together runs them in a transaction.
 *
 * Every insert and update of a file takes the next `rev`, a counter above every other file's:
 * "when two files share a URL, the most recently updated one is served" is then the row with
 * the highest `rev` for that URL, with no tie when two updates fall in the same millisecond.
 */
export class SqliteFiles {
  readonly #db: Database

  constructor(db: Database) {
    this.#db = db
  }

  insertMedia(media: MediaRecord): void {
    this.#db
      .prepare('INSERT INTO media (id, record) VALUES (?, ?)')
      .run(media.id, JSON.stringify(media))
  }

  getMedia(id: string): MediaRecord | null {
    const row = this.#db.prepare('SELECT record FROM media WHERE id = ?').get(id) as
      | FileRow
      | undefined
    return row ? (JSON.parse(row.record) as MediaRecord) : null
  }

  insertFile(record: FileRecord): void {
    const { file } = record
    this.#db
      .prepare(
        `INSERT INTO files (id, media_id, url_key, rev, record)
         VALUES (?, ?, ?, (SELECT COALESCE(MAX(rev), 0) + 1 FROM files), ?)`,
      )
      .run(file.id, file.media_id, fileUrlKey(record), JSON.stringify(record))
  }

  /** Rewrites a file (its URL may have moved) and makes it the most recently updated. */
  updateFile(record: FileRecord): void {
    const { file } = record
    this.#db
      .prepare(
        `UPDATE files SET url_key = ?, record = ?,
           rev = (SELECT COALESCE(MAX(rev), 0) + 1 FROM files) WHERE id = ?`,
      )
      .run(fileUrlKey(record), JSON.stringify(record), file.id)
  }

  /** True when a file was removed. */
  deleteFile(id: string): boolean {
    return this.#db.prepare('DELETE FROM files WHERE id = ?').run(id).changes > 0
  }

  getFile(id: string): FileRecord | null {
    return parse(this.#db.prepare('SELECT record FROM files WHERE id = ?').get(id) as FileRow)
  }

  /** The file served at a URL: of those that share it, the most recently updated. */
  fileAt(key: string): FileRecord | null {
    return parse(
      this.#db
        .prepare('SELECT record FROM files WHERE url_key = ? ORDER BY rev DESC LIMIT 1')
        .get(key) as FileRow,
    )
  }

  /** A media's files, the original first, then in the order they were made. */
  filesOf(mediaId: string): FileRecord[] {
    const rows = this.#db
      .prepare('SELECT record FROM files WHERE media_id = ? ORDER BY seq')
      .all(mediaId) as FileRow[]
    const files = rows.map((row) => JSON.parse(row.record) as FileRecord)
    return files.sort((a, b) => Number(b.file.original) - Number(a.file.original))
  }

  countFiles(): number {
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM files').get() as { n: number }
    return row.n
  }

  /** One page of files, newest first. */
  listFiles(offset: number, limit: number): FileRecord[] {
    const rows = this.#db
      .prepare('SELECT record FROM files ORDER BY seq DESC LIMIT ? OFFSET ?')
      .all(limit, offset) as FileRow[]
    return rows.map((row) => JSON.parse(row.record) as FileRecord)
  }

  /** Runs `work` as one transaction: all of its writes land, or none. */
  transaction<T>(work: () => T): T {
    return this.#db.transaction(work)()
  }
}
