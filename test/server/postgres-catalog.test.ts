import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresCatalog } from '../../src/server/catalog/postgres.ts'
import { DatabaseUnavailable } from '../../src/server/catalog/postgres-errors.ts'
import { MIGRATIONS } from '../../src/server/catalog/postgres-sql.ts'
import type { FileRecord, MediaRecord, SessionRecord } from '../../src/server/types.ts'
import { type Postgres, startPostgres } from '../support/postgres.ts'
import { waitUntil } from '../support/processes.ts'

let postgres: Postgres
let databases = 0
const open: PostgresCatalog[] = []

beforeAll(async () => {
  postgres = await startPostgres()
}, 60_000)

afterAll(async () => {
  await Promise.all(open.map((catalog) => catalog.close().catch(() => undefined)))
  await postgres?.stop()
})

/** A fresh, empty database owned by the app role (no superuser anywhere in the catalog). */
async function emptyDatabase(): Promise<string> {
  databases += 1
  return postgres.database(`catalog_${databases}`)
}

async function catalogOn(url: string, onError?: (error: Error) => void): Promise<PostgresCatalog> {
  const catalog = await PostgresCatalog.open(url, onError ? { onError } : {})
  open.push(catalog)
  return catalog
}

function session(id: string): SessionRecord {
  return {
    id,
    resumable: true,
    filename: 'clip.mp4',
    folder: null,
    alias: null,
    metadata: {},
    conditions: null,
    created: new Date().toISOString(),
    expiresAt: Date.now() + 60_000,
    spent: false,
    mediaId: null,
    parts: {},
  }
}

function media(id: string): MediaRecord {
  const now = new Date().toISOString()
  return {
    id,
    object: 'media',
    kind: null,
    type: 'application/octet-stream',
    width: null,
    height: null,
    duration: null,
    filesize: 3,
    alias: null,
    metadata: {},
    filename: 'a.bin',
    folder: null,
    created: now,
    updated: now,
    status: 'active',
  }
}

function file(id: string, mediaId: string, filename: string | null, metadata = {}): FileRecord {
  const now = new Date().toISOString()
  return {
    file: {
      id,
      media_id: mediaId,
      object: 'source',
      kind: null,
      format: null,
      type: 'application/octet-stream',
      width: null,
      height: null,
      duration: null,
      fps: null,
      filesize: 3,
      folder: 'shared',
      filename,
      ref: null,
      original: true,
      metadata,
      created: now,
      updated: now,
    },
    manifest: [{ path: `sessions/${id}/parts/0`, size: 3 }],
  }
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client(url)
  await client.connect()
  try {
    const { rows } = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    )
    return rows.map((row) => row.tablename)
  } finally {
    await client.end()
  }
}

// Real PostgreSQL on a shared two-core machine: creating a database alone can take a second.
describe('the PostgreSQL catalog', { timeout: 30_000 }, () => {
  it('migrates an empty database once when several nodes start at the same moment', async () => {
    const url = await emptyDatabase()
    const nodes = await Promise.all([1, 2, 3, 4].map(() => catalogOn(url)))
    expect(await tables(url)).toEqual(['files', 'media', 'partwise_migrations', 'sessions'])
    const client = new pg.Client(url)
    await client.connect()
    const { rows } = await client.query('SELECT version FROM partwise_migrations')
    await client.end()
    expect(rows).toEqual(MIGRATIONS.map((_, i) => ({ version: i + 1 })))
    // Every node reads what another wrote.
    await nodes[0]?.createSession(session('ses_shared01'))
    expect((await nodes[3]?.getSession('ses_shared01'))?.filename).toBe('clip.mp4')
    // Opening again migrates nothing and loses nothing.
    const again = await catalogOn(url)
    expect((await again.getSession('ses_shared01'))?.id).toBe('ses_shared01')
  })

  it('refuses a database migrated by a newer server', async () => {
    const url = await emptyDatabase()
    await catalogOn(url)
    const client = new pg.Client(url)
    await client.connect()
    await client.query('INSERT INTO partwise_migrations (version) VALUES ($1)', [
      MIGRATIONS.length + 1,
    ])
    await client.end()
    await expect(PostgresCatalog.open(url)).rejects.toThrow(/upgrade the server/)
  })

  it('serialises one session’s changes across nodes: no part is lost', async () => {
    const url = await emptyDatabase()
    const [a, b] = await Promise.all([catalogOn(url), catalogOn(url)])
    if (!a || !b) throw new Error('two catalogs')
    await a.createSession(session('ses_parts001'))
    await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        (index % 2 ? a : b).updateSession('ses_parts001', async (record) => {
          // A pause between read and write: without the row lock, writes would overwrite.
          await new Promise((resolve) => setTimeout(resolve, 2))
          record.parts[String(index)] = { etag: `e${index}`, size: index }
        }),
      ),
    )
    const parts = (await b.getSession('ses_parts001'))?.parts ?? {}
    expect(Object.keys(parts).length).toBe(24)
  })

  it('makes exactly one media when two nodes complete the same session at once', async () => {
    const url = await emptyDatabase()
    const [a, b] = await Promise.all([catalogOn(url), catalogOn(url)])
    if (!a || !b) throw new Error('two catalogs')
    await a.createSession(session('ses_race0001'))
    let made = 0
    const complete = (catalog: PostgresCatalog, mediaId: string) =>
      catalog.updateSession('ses_race0001', async (record, commit) => {
        if (record.spent) return record.mediaId
        made += 1
        // The probe's time, in which the other node's completion must wait, not proceed.
        await new Promise((resolve) => setTimeout(resolve, 20))
        commit.addFile(file(`file_${mediaId}`, mediaId, 'race.bin'), media(mediaId))
        record.spent = true
        record.mediaId = mediaId
        return mediaId
      })
    const answers = await Promise.all([complete(a, 'med_from_a'), complete(b, 'med_from_b')])
    expect(made).toBe(1)
    expect(answers[0]).toBe(answers[1])
    expect(await a.countFiles()).toBe(1)
    expect((await b.getMedia(answers[0] as string))?.id).toBe(answers[0])
    expect((await a.filesOf(answers[0] as string)).length).toBe(1)
  })

  it('lists the unspent sessions whose URL expired, oldest first, for the sweeper', async () => {
    const catalog = await catalogOn(await emptyDatabase())
    const now = Date.now()
    const at = (id: string, expiresAt: number, spent = false) =>
      catalog.createSession({ ...session(id), expiresAt, spent })
    await at('ses_live0001', now + 60_000)
    await at('ses_old00002', now - 2_000)
    await at('ses_old00001', now - 5_000)
    await at('ses_spent001', now - 9_000, true)
    await catalog.updateSession('ses_live0001', (record) => {
      record.expiresAt = now - 1_000
    })
    const expired = async (limit: number) =>
      (await catalog.expiredSessions(now, limit)).map((record) => record.id)
    expect(await expired(10)).toEqual(['ses_old00001', 'ses_old00002', 'ses_live0001'])
    expect(await expired(1)).toEqual(['ses_old00001'])
    await catalog.deleteSession('ses_old00001')
    await catalog.deleteSession('ses_absent01')
    expect(await expired(10)).toEqual(['ses_old00002', 'ses_live0001'])
  })

  it('writes nothing of a change that throws', async () => {
    const url = await emptyDatabase()
    const catalog = await catalogOn(url)
    await catalog.createSession(session('ses_throw001'))
    await expect(
      catalog.updateSession('ses_throw001', async (record, commit) => {
        commit.addFile(file('file_never', 'med_never', 'never.bin'), media('med_never'))
        record.spent = true
        throw new Error('refused')
      }),
    ).rejects.toThrow('refused')
    expect((await catalog.getSession('ses_throw001'))?.spent).toBe(false)
    expect(await catalog.getMedia('med_never')).toBeNull()
  })

  it('serves the most recently updated of the files that share a URL, and lists newest first', async () => {
    const url = await emptyDatabase()
    const [a, b] = await Promise.all([catalogOn(url), catalogOn(url)])
    if (!a || !b) throw new Error('two catalogs')
    await a.addFile(file('file_1', 'med_1', 'same.bin', { z: 1, a: 2 }), media('med_1'))
    await b.addFile(file('file_2', 'med_2', 'same.bin'), media('med_2'))
    expect((await a.fileAt('/shared/same.bin'))?.file.id).toBe('file_2')
    const first = (await b.getFile('file_1')) as FileRecord
    await b.updateFile({ ...first, file: { ...first.file, metadata: { z: 1, a: 2, m: 3 } } })
    expect((await a.fileAt('/shared/same.bin'))?.file.id).toBe('file_1')
    // Metadata keeps the order it was written in.
    expect(Object.keys((await a.getFile('file_1'))?.file.metadata ?? {})).toEqual(['z', 'a', 'm'])
    expect((await a.listFiles(0, 10)).map((record) => record.file.id)).toEqual(['file_2', 'file_1'])
    expect(await a.deleteFile('file_2')).toBe(true)
    expect(await b.deleteFile('file_2')).toBe(false)
    expect(await b.countFiles()).toBe(1)
    expect((await b.filesOf('med_1')).map((record) => record.file.id)).toEqual(['file_1'])
  })

  it('answers 503 with Retry-After while the database is down, without crashing, and recovers', async () => {
    const url = await emptyDatabase()
    const errors: Error[] = []
    const catalog = await catalogOn(url, (error) => errors.push(error))
    await catalog.createSession(session('ses_outage01'))
    // Three idle pooled connections; stopping the database drops them under the pool, which
    // emits 'error' for each: without the catalog's handler, that would crash the process.
    await Promise.all([catalog.check(), catalog.check(), catalog.check()])
    await postgres.stopServer()
    try {
      await waitUntil('the pool to report its dropped connections', async () => errors.length > 0)
      const down = await catalog.getSession('ses_outage01').catch((error: unknown) => error)
      expect(down).toBeInstanceOf(DatabaseUnavailable)
      expect((down as DatabaseUnavailable).status).toBe(503)
      expect((down as DatabaseUnavailable).headers['Retry-After']).toMatch(/^\d+$/)
      await expect(catalog.check()).rejects.toBeInstanceOf(DatabaseUnavailable)
      await expect(
        catalog.updateSession('ses_outage01', (record) => {
          record.spent = true
        }),
      ).rejects.toBeInstanceOf(DatabaseUnavailable)
    } finally {
      await postgres.startServer()
    }
    await catalog.check()
    expect((await catalog.getSession('ses_outage01'))?.spent).toBe(false)
  })
})
