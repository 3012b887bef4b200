/**
 * A throwaway PostgreSQL for tests: `initdb` into a temporary directory, run as an unprivileged
 * user on a free 127.0.0.1 port (and a socket in that directory), with `fsync=off`. The app
 * connects as an ordinary role that OWNS its database: on PostgreSQL 15 only the owner may
 * create tables in `public`, so this also proves the migrations need no superuser.
 *
 * The server can be stopped and started again on the same port and data (`stopServer`,
 * `startServer`) for outage tests; `stop()` ends it and removes everything. It is stopped by
 * its PID, never by name.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { findPostgres } from '../../tooling/servers.ts'
import {
  type Account,
  exited,
  freePort,
  handOver,
  stopChild,
  track,
  unprivileged,
  waitUntil,
} from './processes.ts'

const ADMIN = 'pw_admin'
const ROLE = 'partwise'
const PASSWORD = 'partwise'

export interface Postgres {
  /** `postgres://partwise:…@127.0.0.1:PORT/partwise`: the app role, owner of its database. */
  readonly url: string
  readonly port: number
  /** Creates another empty database owned by the app role; resolves with its URL. */
  database(name: string): Promise<string>
  /** Stops the server at once (`immediate`: no checkpoint, clients cut), keeping its data. */
  stopServer(): Promise<void>
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  startServer(): Promise<void>
  /** `stopServer` then `startServer`. */
  restart(): Promise<void>
  /** The server's log so far (for a failing test's message). */
  log(): string
  /** Stops the server and removes its directory; idempotent. */
  stop(): Promise<void>
}

function run(bin: string, account: Account | null, command: string, args: string[]): void {
  const result = spawnSync(join(bin, command), args, {
    encoding: 'utf8',
    ...(account ? { uid: account.uid, gid: account.gid } : {}),
    // initdb reads HOME and the locale; root's would not be readable by the account.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', HOME: tmpdir() },
  })
  if (result.status !== 0) {
    throw new Error(`${command} failed (${result.status ?? result.signal}): ${result.stderr}`)
  }
}

async function query(port: number, user: string, database: string, sql: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user, database })
  client.on('error', () => undefined)
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

/** Starts a fresh PostgreSQL cluster with one app role and its database `partwise`. */
export async function startPostgres(): Promise<Postgres> {
  const found = findPostgres()
  if (!found) throw new Error('PostgreSQL was not found (Debian: apt-get install postgresql)')
  const bin: string = found
  const account = unprivileged(['postgres', 'nobody'])
  const root = mkdtempSync(join(tmpdir(), 'partwise-pg-'))
  const data = join(root, 'data')
  const socket = join(root, 'socket')
  mkdirSync(socket)
  handOver(account, root, socket)
  const logPath = join(root, 'postgres.log')
  run(bin, account, 'initdb', [
    '-D',
    data,
    '-U',
    ADMIN,
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
    '--no-instructions',
  ])
  const port = await freePort()
  let child: ChildProcess | null = null

  async function startServer(): Promise<void> {
    if (child) return
    const out = openSync(logPath, 'a')
    const started = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-h',
        '127.0.0.1',
        '-k',
        socket,
        // Tests need no durability across a power cut; they need speed on a shared machine.
        // Not synchronous_commit=off: an immediate stop would lose commits still in WAL
        // buffers, and the outage tests stop the server that way.
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'shared_buffers=16MB',
        '-c',
        'max_connections=100',
      ],
      {
        stdio: ['ignore', out, out],
        ...(account ? { uid: account.uid, gid: account.gid } : {}),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' },
      },
    )
    child = started
    track(started, 'SIGQUIT')
    const died = exited(started).then(() => {
      throw new Error(`PostgreSQL exited at start:\n${readLog()}`)
    })
    died.catch(() => undefined)
    await Promise.race([
      died,
      waitUntil('PostgreSQL to accept connections', async () => {
        await query(port, ADMIN, 'postgres', 'SELECT 1')
        return true
      }),
    ])
  }

  async function stopServer(): Promise<void> {
    const running = child
    child = null
    // SIGQUIT is "immediate shutdown": the postmaster ends its backends and exits.
    if (running) await stopChild(running, 'SIGQUIT')
  }

  function readLog(): string {
    try {
      return readFileSync(logPath, 'utf8')
    } catch {
      return ''
    }
  }

  const urlOf = (database: string) => `postgres://${ROLE}:${PASSWORD}@127.0.0.1:${port}/${database}`

  let stopped: Promise<void> | undefined
  try {
    await startServer()
    await query(port, ADMIN, 'postgres', `CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`)
    await query(port, ADMIN, 'postgres', `CREATE DATABASE ${ROLE} OWNER ${ROLE}`)
  } catch (error) {
    await stopServer()
    await rm(root, { recursive: true, force: true })
    throw error
  }

  return {
    url: urlOf(ROLE),
    port,
    async database(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a plain database name: ${name}`)
      await query(
        port,
        ADMIN,
        'postgres',
        `CREATE DATABASE ${name} OWNER ${ROLE} STRATEGY FILE_COPY`,
      )
      return urlOf(name)
    },
    stopServer,
    startServer,
    async restart() {
      await stopServer()
      await startServer()
    },
    log: readLog,
    stop() {
      stopped ??= stopServer().then(() => rm(root, { recursive: true, force: true }))
      return stopped
    },
  }
}
