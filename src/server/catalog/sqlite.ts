import { createRequire } from 'node:module'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'

export type Database = BetterSqlite3.Database

/** Bumped with every schema change; `openDatabase` refuses a file of another version. */
const SCHEMA_VERSION = 1

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS media (
  id TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  media_id TEXT NOT NULL,
  url_key TEXT NOT NULL,
  rev INTEGER NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS files_by_url ON files (url_key, rev);
CREATE INDEX IF NOT EXISTS files_by_media ON files (media_id);
`

/**
 * Opens (creating it when needed) `<dataDir>/partwise.sqlite`, the home of every record: upload
 * sessions with their acknowledged parts, media and files. Part bytes stay plain files.
 *
 * better-sqlite3 is loaded here, with `require`, rather than imported at the top of the
 * module: a reference server on PostgreSQL never loads the native addon, and an install
 * without it (an optional peer dependency) fails only when SQLite is chosen, with the
 * install command in the message.
 *
 * WAL with `synchronous = NORMAL`: a committed transaction survives the process dying (a
 * restart loses nothing acknowledged); only a power cut may lose the last commits, the same
 * promise the part files give, which are not fsynced either (that would cost upload speed).
 */
export function openDatabase(dataDir: string): Database {
  const require = createRequire(import.meta.url)
  let Sqlite: typeof BetterSqlite3
  try {
    Sqlite = require('better-sqlite3') as typeof BetterSqlite3
  } catch (error) {
    // An optional peer: an app that only calls createUploadSession never needs it.
    throw new Error(
      'The partwise reference server keeps its records in SQLite: install better-sqlite3 (npm install better-sqlite3)',
      { cause: error },
    )
  }
  const db = new Sqlite(join(dataDir, 'partwise.sqlite'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // Another process on the same dataDir (a restart racing the old one) waits, not fails.
    db.pragma('busy_timeout = 5000')
    const version = db.pragma('user_version', { simple: true })
    if (version !== 0 && version !== SCHEMA_VERSION) {
      throw new Error(
        `${dataDir} holds a partwise database of version ${String(version)}; this server reads version ${SCHEMA_VERSION}`,
      )
    }
    db.exec(SCHEMA)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}
