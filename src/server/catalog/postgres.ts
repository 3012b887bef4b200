import { createRequire } from 'node:module'
import type { Pool, PoolClient, PoolConfig } from 'pg'
import { urlKey } from '../names.ts'
import type { FileRecord, MediaRecord, SessionRecord } from '../types.ts'
import { classify } from './postgres-errors.ts'
import { MIGRATE, MIGRATION_LOCK, MIGRATIONS, SQL } from './postgres-sql.ts'

/** What runs a statement: the pool (one statement, its own transaction) or a transaction's client. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>
}

/** The catalog's writes, bound to a transaction when a session change runs them. */
export interface CatalogWrites {
  insertMedia(media: MediaRecord): Promise<void>
  insertFile(record: FileRecord): Promise<void>
}

export interface PostgresCatalogOptions {
  /** Connections this node holds at most. @default 10 */
  maxConnections?: number
  /** Milliseconds to wait for a connection (a new one, or a free one from the pool). @default 5000 */
  connectTimeoutMs?: number
  /** Milliseconds a statement may wait for a row lock (another node's change to a session). @default 30000 */
  lockTimeoutMs?: number
  /** Reports what the catalog could not hand to a caller (an idle connection lost). */
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

const record = <T>(row: unknown): T => JSON.parse((row as { record: string }).record) as T
const first = (rows: unknown[]): unknown => rows[0]

/**
 * Sessions, media and files in PostgreSQL, for nodes that share one database: every answer
 * comes from the database (no cache whose staleness could change an answer), one session's
 * changes are serialised across nodes by its row lock, and a completion's records land in the
 * same transaction that spends the key. A database that does not answer surfaces as
 * `DatabaseUnavailable` (503 with Retry-After), never as a crash: the pool's `error` event
 * (idle connections dropped when the database shuts down) is handled.
 */
export class PostgresCatalog implements CatalogWrites {
  readonly #pool: Pool
  /** This node's changes to one session queue here first, so they hold one connection, not many. */
  readonly #locks = new Map<string, Promise<unknown>>()

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
      await catalog.#migrate()
    } catch (error) {
      await pool.end().catch(() => undefined)
      throw classify(error)
    }
    return catalog
  }

  async #migrate(): Promise<void> {
    await this.#transaction(async (client) => {
      await client.query(MIGRATE.lock, [MIGRATION_LOCK])
      await client.query(MIGRATE.table)
      const { rows } = await client.query(MIGRATE.version)
      const version = (first(rows) as { version: number }).version
      if (version > MIGRATIONS.length) {
        throw new Error(
          `The database holds partwise's schema version ${version}; this server knows versions up to ${MIGRATIONS.length}: upgrade the server`,
        )
      }
      for (let next = version; next < MIGRATIONS.length; next++) {
        await client.query(MIGRATIONS[next] as string)
        await client.query(MIGRATE.record, [next + 1])
      }
    })
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
    let lost: Error | undefined
    const onError = (error: Error) => {
      lost = error
    }
    client.on('error', onError)
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      lost ??= error instanceof Error && classify(error) !== error ? error : undefined
      throw classify(error)
    } finally {
      client.off('error', onError)
      // A connection that failed is closed, not handed to the next request.
      client.release(lost ?? false)
    }
  }

  async #query(text: string, values: unknown[] = [], on: Queryable = this.#pool) {
    try {
      return await on.query(text, values)
    } catch (error) {
      throw classify(error)
    }
  }

  /** Resolves while the database answers; `DatabaseUnavailable` when it does not (health). */
  async ping(): Promise<void> {
    await this.#query(SQL.ping)
  }

  async close(): Promise<void> {
    await this.#pool.end()
  }

  // Sessions

  async createSession(session: SessionRecord): Promise<void> {
    await this.#query(SQL.createSession, [session.id, JSON.stringify(session)])
  }

  async getSession(id: string): Promise<SessionRecord | null> {
    const { rows } = await this.#query(SQL.getSession, [id])
    return rows.length > 0 ? record<SessionRecord>(rows[0]) : null
  }

  /**
   * Runs `change` on the session while holding its row lock (no other node's change to it can
   * interleave), then saves the record, in one transaction with the writes `change` made through
   * `writes`. When `change` throws, nothing is written.
   */
  async updateSession<T>(
    id: string,
    change: (session: SessionRecord, writes: CatalogWrites) => Promise<T> | T,
  ): Promise<T> {
    return this.#exclusive(id, () =>
      this.#transaction(async (client) => {
        const { rows } = await client.query(SQL.lockSession, [id])
        if (rows.length === 0) throw new Error(`Session ${id} vanished`)
        const session = record<SessionRecord>(rows[0])
        const result = await change(session, this.#writes(client))
        await client.query(SQL.saveSession, [id, JSON.stringify(session)])
        return result
      }),
    )
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

  #writes(on: Queryable): CatalogWrites {
    return {
      insertMedia: async (media) => {
        await this.#query(SQL.insertMedia, [media.id, JSON.stringify(media)], on)
      },
      insertFile: async (file) => {
        const { id, media_id, folder, filename } = file.file
        const key = urlKey(id, folder, filename)
        await this.#query(SQL.insertFile, [id, media_id, key, JSON.stringify(file)], on)
      },
    }
  }

  /** Runs `work`'s writes as one transaction: all of them land, or none. */
  async transaction<T>(work: (writes: CatalogWrites) => Promise<T>): Promise<T> {
    return this.#transaction((client) => work(this.#writes(client)))
  }

  // Media and files

  insertMedia(media: MediaRecord): Promise<void> {
    return this.#writes(this.#pool).insertMedia(media)
  }

  insertFile(file: FileRecord): Promise<void> {
    return this.#writes(this.#pool).insertFile(file)
  }

  async getMedia(id: string): Promise<MediaRecord | null> {
    const { rows } = await this.#query(SQL.getMedia, [id])
    return rows.length > 0 ? record<MediaRecord>(rows[0]) : null
  }

  /** Rewrites a file (its URL may have moved) and makes it the most recently updated. */
  async updateFile(file: FileRecord): Promise<void> {
    const { id, folder, filename } = file.file
    await this.#query(SQL.updateFile, [id, urlKey(id, folder, filename), JSON.stringify(file)])
  }

  /** True when a file was removed. */
  async deleteFile(id: string): Promise<boolean> {
    const { rowCount } = await this.#query(SQL.deleteFile, [id])
    return (rowCount ?? 0) > 0
  }

  async getFile(id: string): Promise<FileRecord | null> {
    const { rows } = await this.#query(SQL.getFile, [id])
    return rows.length > 0 ? record<FileRecord>(rows[0]) : null
  }

  /** The file served at a URL: of those that share it, the most recently updated. */
  async fileAt(key: string): Promise<FileRecord | null> {
    const { rows } = await this.#query(SQL.fileAt, [key])
    return rows.length > 0 ? record<FileRecord>(rows[0]) : null
  }

  /** A media's files, the original first, then in the order they were made. */
  async filesOf(mediaId: string): Promise<FileRecord[]> {
    const { rows } = await this.#query(SQL.filesOf, [mediaId])
    const files = rows.map((row) => record<FileRecord>(row))
    return files.sort((a, b) => Number(b.file.original) - Number(a.file.original))
  }

  async countFiles(): Promise<number> {
    const { rows } = await this.#query(SQL.countFiles)
    return (first(rows) as { n: number }).n
  }

  /** One page of files, newest first. */
  async listFiles(offset: number, limit: number): Promise<FileRecord[]> {
    const { rows } = await this.#query(SQL.listFiles, [limit, offset])
    return rows.map((row) => record<FileRecord>(row))
  }
}
