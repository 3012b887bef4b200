import { mkdirSync, mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SqliteCatalog } from './catalog/sqlite-catalog.ts'
import { FaultSet } from './control/faults.ts'
import { StatsRecorder } from './control/stats.ts'
import type { App } from './http/context.ts'
import { handleRequest } from './http/handler.ts'
import { randomId } from './ids.ts'
import { DiskStorage } from './storage/disk.ts'
import type { ResolvedServerOptions, UploadServer, UploadServerOptions } from './types.ts'

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
  }
}

/** The origin a browser can reach: wildcard binds are reached on loopback. */
function originOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`
}

/**
 * The reference upload server: PROTOCOL.md on plain Node `http`, storing everything under
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
  const catalog = new SqliteCatalog(dataDir)
  const storage = new DiskStorage(dataDir)

  let origin = ''
  const closing = new AbortController()
  const app: App = {
    options: resolved,
    catalog,
    storage,
    stats: new StatsRecorder(),
    faults: new FaultSet(),
    origin: () => origin,
    closeIdleConnections: () => server.closeIdleConnections(),
    closing: closing.signal,
  }

  const server = createServer((req, res) => {
    // handleRequest answers every failure itself; this only guards against a bug there
    // turning into an unhandled rejection that would take the whole process down.
    handleRequest(app, req, res).catch(() => res.destroy())
  })
  // Node cuts any request still running after 5 minutes by default; a big part over a slow
  // link legitimately takes longer. Stalled bodies are cut by `bodyTimeoutMs` instead.
  server.requestTimeout = 0

  let listening: Promise<string> | undefined
  let closed: Promise<void> | undefined

  async function shutDown(): Promise<void> {
    closing.abort()
    if (server.listening) {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      // Keep-alive and in-flight uploads would hold close() open forever.
      server.closeAllConnections()
      await stopped
    }
    await Promise.all([catalog.close(), storage.close()])
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
  }

  return {
    listen() {
      if (closed) return Promise.reject(new Error('The upload server was closed'))
      listening ??= new Promise<string>((resolve, reject) => {
        server.once('error', reject)
        server.listen(resolved.port, resolved.host, () => {
          server.off('error', reject)
          origin = originOf(server.address() as AddressInfo)
          resolve(origin)
        })
      })
      return listening
    },
    close() {
      closed ??= (listening ?? Promise.resolve()).catch(() => undefined).then(shutDown)
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
