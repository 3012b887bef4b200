import { mkdirSync, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PostgresCatalog } from './catalog/postgres.ts'
import { SqliteCatalog } from './catalog/sqlite-catalog.ts'
import type { Catalog } from './catalog/types.ts'
import { FaultSet } from './control/faults.ts'
import { StatsRecorder } from './control/stats.ts'
import type { App } from './http/context.ts'
import { handleRequest } from './http/handler.ts'
import { InFlight } from './http/lifecycle.ts'
import { parsePublicUrl } from './http/public-url.ts'
import { randomId } from './ids.ts'
import { DiskStorage } from './storage/disk.ts'
import { loadS3Storage } from './storage/s3/load.ts'
import { isS3Url } from './storage/s3/location.ts'
import { type Storage, StorageUnavailable } from './storage/types.ts'
import type { ResolvedServerOptions, UploadServer, UploadServerOptions } from './types.ts'
import { startSessionSweeper } from './uploads/sweep.ts'

const MIB = 1024 * 1024

/** Merges the defaults once; every option's default is documented on `UploadServerOptions`. */
function resolveOptions(options: UploadServerOptions, dataDir: string): ResolvedServerOptions {
  const maxFileSize = options.maxFileSize ?? 5 * 1024 * MIB
  return {
    apiKey: options.apiKey ?? randomId('pw_key_', 24),
    dataDir,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    control: options.control ?? false,
    maxPartSize: options.maxPartSize ?? 512 * MIB,
    maxFileSize,
    sessionTimeout: options.sessionTimeout ?? 300,
    signingSecret: options.signingSecret ?? randomId('', 32),
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    allowPrivateUrls: options.allowPrivateUrls ?? false,
    fetchTimeoutMs: options.fetchTimeoutMs ?? 30_000,
    maxFetchSize: options.maxFetchSize ?? maxFileSize,
    database: options.database ?? '',
    publicUrl: options.publicUrl ? parsePublicUrl(options.publicUrl) : '',
  }
}

/** A database URL fit for a message: without its password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured URL'
  }
}

const isPostgres = (url: string) => /^postgres(ql)?:\/\//i.test(url)

/** The origin a browser can reach: wildcard binds are reached on loopback. */
function originOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/**
 * The reference upload server: docs/PROTOCOL.md on plain Node `http`, storing everything under
 * `dataDir`. Made for loopback (tests, the demo, benchmarks), not for the open internet.
 *
 * ```ts
 * const server = createUploadServer({ control: true })
 * const origin = await server.listen() // e.g. http://127.0.0.1:43121
 * const { url } = await createUploadSession({ apiKey: server.apiKey, baseUrl: origin, resumable: true })
 * // … hand `url` to the browser …
 * await server.close()
 * ```
 */
export function createUploadServer(options: UploadServerOptions = {}): UploadServer {
  const ownsDataDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'partwise-server-'))
  mkdirSync(dataDir, { recursive: true })
  const resolved = resolveOptions(options, dataDir)
  if (resolved.database && !isPostgres(resolved.database)) {
    throw new Error(
      'database must be a postgres:// URL (or empty, for SQLite in the data directory)',
    )
  }
  // PostgreSQL is opened (and migrated) by listen(): no request arrives before it.
  let catalog: Catalog | null = resolved.database ? null : new SqliteCatalog(dataDir)
  // An S3 store is opened (and its bucket checked) by listen(): opening it is async.
  let storage: Storage | undefined =
    options.storage === undefined
      ? new DiskStorage(dataDir)
      : typeof options.storage === 'string'
        ? undefined
        : options.storage
  const s3Location = typeof options.storage === 'string' ? options.storage : undefined
  if (s3Location !== undefined && !isS3Url(s3Location)) {
    throw new Error(
      `storage must be s3://BUCKET/PREFIX, not "${s3Location}" (files stay in the data directory when it is not set)`,
    )
  }
  let opened: Promise<void> | undefined
  const openStorage = (): Promise<void> => {
    opened ??= (async () => {
      if (s3Location !== undefined) storage = await loadS3Storage(s3Location)
      else await storage?.check()
    })()
    return opened
  }
  const inFlight = new InFlight()

  let origin = ''
  const closing = new AbortController()
  const app: App = {
    options: resolved,
    get catalog(): Catalog {
      if (!catalog) throw new Error('The catalog is opened by listen()')
      return catalog
    },
    get storage(): Storage {
      // Requests are taken only once listen() has opened the store.
      if (!storage) throw new StorageUnavailable('The storage is not open yet')
      return storage
    },
    stats: new StatsRecorder(),
    faults: new FaultSet(),
    origin: () => resolved.publicUrl || origin,
    closeIdleConnections: () => server.closeIdleConnections(),
    closing: closing.signal,
    draining: () => inFlight.draining,
  }

  const server = createServer((req, res) => {
    inFlight.track(req, res)
    // handleRequest answers every failure itself; this only guards against a bug there
    // turning into an unhandled rejection that would take the whole process down.
    handleRequest(app, req, res).catch(() => res.destroy())
  })
  // Node cuts any request still running after 5 minutes by default; a big part over a slow
  // link legitimately takes longer. Stalled bodies are cut by `bodyTimeoutMs` instead.
  server.requestTimeout = 0

  let listening: Promise<string> | undefined
  let closed: Promise<void> | undefined

  const sweepInterval = options.sweepIntervalMs ?? (s3Location === undefined ? 0 : 60_000)
  let stopSweeper = (): void => undefined

  async function shutDown(graceMs: number): Promise<void> {
    stopSweeper()
    // Requests in flight finish (within the bound) before held answers are let go.
    await inFlight.drain(server, graceMs)
    closing.abort()
    await opened?.catch(() => undefined)
    await Promise.all([catalog?.close(), storage?.close()])
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
  }

  async function openCatalog(): Promise<void> {
    if (catalog) return
    try {
      catalog = await PostgresCatalog.open(resolved.database, {
        // An idle connection the database dropped: the next request gets a fresh one, or a 503.
        onError: (error) =>
          process.emitWarning(`partwise: a database connection was lost: ${error.message}`),
      })
    } catch (error) {
      const cause = error instanceof Error ? (error.cause ?? error) : error
      const why = cause instanceof Error ? cause.message : String(cause)
      throw new Error(`Could not open the database at ${redact(resolved.database)}: ${why}`, {
        cause: error,
      })
    }
  }

  return {
    listen() {
      if (closed) return Promise.reject(new Error('The upload server was closed'))
      listening ??= Promise.all([openStorage(), openCatalog()]).then(
        () =>
          new Promise<string>((resolve, reject) => {
            server.once('error', reject)
            server.listen(resolved.port, resolved.host, () => {
              server.off('error', reject)
              origin = originOf(server.address() as AddressInfo)
              if (sweepInterval > 0) {
                stopSweeper = startSessionSweeper(app.catalog, () => app.storage, sweepInterval)
              }
              resolve(origin)
            })
          }),
      )
      return listening
    },
    close(closeOptions = {}) {
      closed ??= (listening ?? Promise.resolve())
        .catch(() => undefined)
        .then(() => shutDown(closeOptions.graceMs ?? 0))
      return closed
    },
    get url() {
      return origin
    },
    get apiKey() {
      return resolved.apiKey
    },
    get dataDir() {
      return dataDir
    },
  }
}
