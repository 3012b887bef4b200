import { createRequire } from 'node:module'
import type { Pool, PoolClient, PoolConfig } from 'pg'
import type { FileRecord, MediaRecord, SessionRecord } from '../types.ts'
import { KeyedQueue } from './keyed-queue.ts'
import { urlKey } from './names.ts'
import { classify } from './postgres-errors.ts'
import { MIGRATE, MIGRATION_LOCK, MIGRATIONS, SQL } from './postgres-sql.ts'
import type { Catalog, Commit } from './types.ts'

/** What runs a statement: the pool (one statement, its own transaction) or a transaction's client. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>
}

export interface PostgresCatalogOptions {
  /** Connections this node holds at most. @default 10 */
  maxConnections?: number
  /** Milliseconds to wait for a connection (a new one, or a free one from the pool). @default 5000 */
  connectTimeoutMs?: number
  /** Milliseconds a statement may wait for a row lock (another node's change to a session). @default 30000 */
  lockTimeoutMs?: number
  /** Hears what the catalog cannot hand to a caller: an idle connection the database dropped. */
  onError?: (error: Error) => void
}

type PgModule = typeof import('pg')

/**
 * node-postgres is loaded when a PostgreSQL catalog is opened, not when `partwise/server` is
 * imported: it is an optional peer, like better-sqlite3, needed only with `--database`.
 */
function loadPg(): PgModule {
  const require = createRequire(import.meta.url)
  try {
    return require('pg') as PgModule
  } catch (error) {
    throw new Error('A postgres:// database needs node-postgres: install pg (npm install pg)', {
      cause: error,
    })
  }
}

const parse = <T>(row: unknown): T => JSON.parse((row as { record: string }).record) as T
const one = <T>(rows: unknown[]): T | null => (rows.length > 0 ? parse<T>(rows[0]) : null)
const sessionRow = (session: SessionRecord) => [
  session.id,
  session.expiresAt,
  session.spent,
  JSON.stringify(session),
]

/**
 * Sessions, media and files in PostgreSQL, for nodes that share one database: every answer
 * comes from the database (no cache whose staleness could change an answer), one session's
 * changes are serialised across nodes by its row lock, and a completion's records land in the
 * same transaction that spends the key. A database that does not answer surfaces as
 * `DatabaseUnavailable` (503 with Retry-After), never as a crash: the pool's `error` event
 * (idle connections dropped when the database shuts down) is handled.
 */
export class PostgresCatalog implements Catalog {
  readonly #pool: Pool
  /** This node's changes to one session queue here first, so they hold one connection, not many. */
  readonly #queue = new KeyedQueue()

  private constructor(pool: Pool) {
    this.#pool = pool
  }

  /** Connects and migrates the schema (idempotent; nodes starting at once take turns). */
  static async open(url: string, options: PostgresCatalogOptions = {}): Promise<PostgresCatalog> {
    const { Pool } = loadPg()
    const config: PoolConfig = {
      connectionString: url,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      idleTimeoutMillis: 10_000,
      lock_timeout: options.lockTimeoutMs ?? 30_000,
      // A node that hangs mid-transaction must not hold a session's lock for ever.
      idle_in_transaction_session_timeout: 120_000,
      application_name: 'partwise',
    }
    const pool = new Pool(config)
    const report = options.onError ?? (() => undefined)
    // Without a listener, an idle connection dropped by the database would crash the node.
    pool.on('error', (error) => report(error))
    const catalog = new PostgresCatalog(pool)
    try {
      await catalog.#transaction((client) => migrate(client))
    } catch (error) {
      await pool.end().catch(() => undefined)
      throw error
    }
    return catalog
  }

  /** Runs `work` in one transaction on one connection: it commits whole or not at all. */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let client: PoolClient
    try {
      client = await this.#pool.connect()
    } catch (error) {
      throw classify(error)
    }
    // The pool listens for errors on idle connections only; one checked out is ours to watch.
    let broken = false
    const onError = () => {
      broken = true
    }
    client.on('error', onError)
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      if (classify(error) !== error) broken = true
      throw classify(error)
    } finally {
      client.off('error', onError)
      // A connection that failed is closed, not handed to the next request.
      client.release(broken)
    }
  }

  async #query(text: string, values: unknown[] = [], on: Queryable = this.#pool) {
    try {
      return await on.query(text, values)
    } catch (error) {
      throw classify(error)
    }
  }

  async #addFile(on: Queryable, file: FileRecord, media: MediaRecord | null): Promise<void> {
    if (media) await this.#query(SQL.insertMedia, [media.id, JSON.stringify(media)], on)
    const { id, media_id, folder, filename } = file.file
    const key = urlKey(id, folder, filename)
    await this.#query(SQL.insertFile, [id, media_id, key, JSON.stringify(file)], on)
  }

  async check(): Promise<void> {
    await this.#query(SQL.check)
  }

  async createSession(record: SessionRecord): Promise<void> {
    await this.#query(SQL.createSession, sessionRow(record))
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    return one<SessionRecord>((await this.#query(SQL.getSession, [id])).rows)
  }

  /**
   * Holds the session's row lock (`SELECT … FOR UPDATE`) from reading the record to
   * committing it, so no other node's change interleaves: a second completion waits, then
   * reads `spent` and the media id the first one wrote.
   */
  async updateSession<T>(
    id: string,
    change: (record: SessionRecord, commit: Commit) => Promise<T> | T,
  ): Promise<T> {
    return this.#queue.run(id, () =>
      this.#transaction(async (client) => {
        const record = one<SessionRecord>((await client.query(SQL.lockSession, [id])).rows)
        if (!record) throw new Error(`Session ${id} vanished`)
        const files: Array<[FileRecord, MediaRecord | null]> = []
        const result = await change(record, { addFile: (file, media) => files.push([file, media]) })
        await client.query(SQL.saveSession, sessionRow(record))
        for (const [file, media] of files) await this.#addFile(client, file, media)
        return result
      }),
    )
  }

  async expiredSessions(now: number, limit: number): Promise<SessionRecord[]> {
    const { rows } = await this.#query(SQL.expiredSessions, [now, limit])
    return rows.map((row) => parse<SessionRecord>(row))
  }

  async deleteSession(id: string): Promise<void> {
    await this.#query(SQL.deleteSession, [id])
  }

  addFile(file: FileRecord, media: MediaRecord | null): Promise<void> {
    return this.#transaction((client) => this.#addFile(client, file, media))
  }

  async getMedia(id: string): Promise<MediaRecord | null> {
    return one<MediaRecord>((await this.#query(SQL.getMedia, [id])).rows)
  }

  async getFile(id: string): Promise<FileRecord | null> {
    return one<FileRecord>((await this.#query(SQL.getFile, [id])).rows)
  }

  async fileAt(key: string): Promise<FileRecord | null> {
    return one<FileRecord>((await this.#query(SQL.fileAt, [key])).rows)
  }

  async filesOf(mediaId: string): Promise<FileRecord[]> {
    const { rows } = await this.#query(SQL.filesOf, [mediaId])
    const files = rows.map((row) => parse<FileRecord>(row))
    return files.sort((a, b) => Number(b.file.original) - Number(a.file.original))
  }

  async countFiles(): Promise<number> {
    const { rows } = await this.#query(SQL.countFiles)
    return (rows[0] as { n: number }).n
  }

  async listFiles(offset: number, limit: number): Promise<FileRecord[]> {
    const { rows } = await this.#query(SQL.listFiles, [limit, offset])
    return rows.map((row) => parse<FileRecord>(row))
  }

  async updateFile(record: FileRecord): Promise<void> {
    const { id, folder, filename } = record.file
    await this.#query(SQL.updateFile, [id, urlKey(id, folder, filename), JSON.stringify(record)])
  }

  async deleteFile(id: string): Promise<boolean> {
    const { rowCount } = await this.#query(SQL.deleteFile, [id])
    return (rowCount ?? 0) > 0
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }
}

/**
 * Brings the schema up to date, inside the caller's transaction. The advisory lock makes
 * nodes that start at once take turns; the second then finds the work done. A database that
 * a newer server migrated is refused rather than misread.
 */
async function migrate(client: PoolClient): Promise<void> {
  await client.query(MIGRATE.lock, [MIGRATION_LOCK])
  await client.query(MIGRATE.table)
  const { rows } = await client.query<{ version: number }>(MIGRATE.version)
  const version = rows[0]?.version ?? 0
  if (version > MIGRATIONS.length) {
    throw new Error(
      `The database holds partwise's schema version ${version}; this server knows versions up to ${MIGRATIONS.length}: upgrade the server`,
    )
  }
  for (let next = version; next < MIGRATIONS.length; next++) {
    await client.query(MIGRATIONS[next] as string)
    await client.query(MIGRATE.record, [next + 1])
  }
}
