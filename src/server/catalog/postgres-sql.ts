/**
 * Every statement the PostgreSQL catalog runs, in one place (no ORM). Records are kept as JSON
 * text, as in SQLite: `text`, not `jsonb`, so a file's metadata comes back in the key order it
 * was written, byte for byte, whichever node reads it.
 */

/**
 * The migrations, in order; the database records how many ran. Append, never edit: a node
 * that starts against a database migrated by a newer node refuses to run (see `MIGRATE`).
 * Every one runs inside the migration transaction, so it needs no IF NOT EXISTS of its own.
 */
export const MIGRATIONS: readonly string[] = [
  `-- expires_at and spent repeat two fields of the record, for the expiry sweeper's query.
   CREATE TABLE sessions (
     id text PRIMARY KEY,
     expires_at bigint NOT NULL,
     spent boolean NOT NULL,
     record text NOT NULL
   );
   CREATE INDEX sessions_expiring ON sessions (expires_at) WHERE NOT spent;
   CREATE TABLE media (
     id text PRIMARY KEY,
     record text NOT NULL
   );
   -- rev: "when two files share a URL, the most recently updated one is served". A sequence
   -- rather than MAX(rev) + 1, which two nodes writing at once would compute alike.
   CREATE SEQUENCE file_revs;
   CREATE TABLE files (
     seq bigserial PRIMARY KEY,
     id text NOT NULL UNIQUE,
     media_id text NOT NULL,
     url_key text NOT NULL,
     rev bigint NOT NULL DEFAULT nextval('file_revs'),
     record text NOT NULL
   );
   CREATE INDEX files_by_url ON files (url_key, rev DESC);
   CREATE INDEX files_by_media ON files (media_id);`,
]

/**
 * An arbitrary constant naming partwise's advisory lock: the nodes that start at once against
 * one database take turns to migrate it; the second finds the work done.
 */
export const MIGRATION_LOCK = 0x70617274 // "part"

export const MIGRATE = {
  lock: 'SELECT pg_advisory_xact_lock($1)',
  table: `CREATE TABLE IF NOT EXISTS partwise_migrations (
            version integer PRIMARY KEY,
            applied timestamptz NOT NULL DEFAULT now()
          )`,
  version: 'SELECT COALESCE(MAX(version), 0)::int AS version FROM partwise_migrations',
  record: 'INSERT INTO partwise_migrations (version) VALUES ($1)',
} as const

export const SQL = {
  check: 'SELECT 1',

  createSession: 'INSERT INTO sessions (id, expires_at, spent, record) VALUES ($1, $2, $3, $4)',
  getSession: 'SELECT record FROM sessions WHERE id = $1',
  /** The row lock is what serialises one session's changes across every node. */
  lockSession: 'SELECT record FROM sessions WHERE id = $1 FOR UPDATE',
  saveSession: 'UPDATE sessions SET expires_at = $2, spent = $3, record = $4 WHERE id = $1',
  expiredSessions: `SELECT record FROM sessions WHERE NOT spent AND expires_at < $1
                    ORDER BY expires_at LIMIT $2`,
  deleteSession: 'DELETE FROM sessions WHERE id = $1',

  insertMedia: 'INSERT INTO media (id, record) VALUES ($1, $2)',
  getMedia: 'SELECT record FROM media WHERE id = $1',

  insertFile: 'INSERT INTO files (id, media_id, url_key, record) VALUES ($1, $2, $3, $4)',
  updateFile: `UPDATE files SET url_key = $2, record = $3, rev = nextval('file_revs')
               WHERE id = $1`,
  deleteFile: 'DELETE FROM files WHERE id = $1',
  getFile: 'SELECT record FROM files WHERE id = $1',
  fileAt: 'SELECT record FROM files WHERE url_key = $1 ORDER BY rev DESC LIMIT 1',
  filesOf: 'SELECT record FROM files WHERE media_id = $1 ORDER BY seq',
  countFiles: 'SELECT COUNT(*)::int AS n FROM files',
  listFiles: 'SELECT record FROM files ORDER BY seq DESC LIMIT $1 OFFSET $2',
} as const
