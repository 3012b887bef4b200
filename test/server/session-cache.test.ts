import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../src/server/catalog/sqlite.ts'
import { SessionStore } from '../../src/server/catalog/sqlite-sessions.ts'
import type { SessionRecord } from '../../src/server/types.ts'

/**
 * The session store's memory: a long-running server must not keep every session it ever saw.
 * Records past the cache limit are let go and read back from SQLite, with nothing lost.
 */
let dir: string
let db: Database

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'partwise-cache-'))
  db = openDatabase(dir)
})
afterEach(async () => {
  db.close()
  await rm(dir, { recursive: true, force: true })
})

const session = (id: string): SessionRecord => ({
  id,
  resumable: true,
  filename: null,
  folder: null,
  alias: null,
  metadata: {},
  conditions: null,
  created: new Date(0).toISOString(),
  expiresAt: Date.now() + 60_000,
  spent: false,
  mediaId: null,
  parts: {},
})

describe('the session cache', () => {
  it('holds at most its limit, and a record let go comes back from the database intact', async () => {
    const store = new SessionStore(db, 3)
    for (const id of ['a', 'b', 'c', 'd', 'e']) await store.create(session(id))
    expect(store.cached).toBe(3)
    await store.update('a', (record) => {
      record.parts['0'] = { etag: 'e0', size: 5 } as SessionRecord['parts'][string]
    })
    const back = await store.get('a')
    expect(back?.parts['0']).toMatchObject({ etag: 'e0' })
    expect(store.cached).toBe(3)
  })

  it('lets go of the least recently used first', async () => {
    const store = new SessionStore(db, 2)
    await store.create(session('old'))
    await store.create(session('used'))
    await store.get('old') // now the most recently used
    await store.create(session('new'))
    // 'used' was let go: changing it reads it back, and the cache stays at its limit.
    await store.update('used', (record) => {
      record.spent = true
    })
    expect(store.cached).toBe(2)
    expect((await store.get('used'))?.spent).toBe(true)
  })

  it('never lets go of a record while a change to it is in flight', async () => {
    const store = new SessionStore(db, 1)
    await store.create(session('busy'))
    let release = (): void => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    const change = store.update('busy', async (record) => {
      await held
      record.spent = true
    })
    await store.create(session('other'))
    expect(store.cached).toBe(2) // 'busy' kept: its change would otherwise write a stale copy
    release()
    await change
    expect((await store.get('busy'))?.spent).toBe(true)
  })
})
