import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { type Browser, chromium, type Page } from 'playwright'
import { createServer, type ViteDevServer } from 'vite'
import {
  createUploadServer,
  type FaultRule,
  type RequestRecord,
  type UploadServer,
  type UploadStats,
} from '../../src/server/index.ts'
import { chromiumLaunchOptions } from '../../tooling/chromium.ts'
import { patternBytes } from './bytes.ts'
import { type StoreName, startRigStore, withStorage } from './rig-store.ts'

/**
 * The rig for the `<Upload />` page (test/e2e/ui-page): like `startRig` in e2e.ts, plus the React
 * plugin for the page's TSX, and a reference server that can be restarted on the same port,
 * data directory, API key and signing secret (a server restart in the middle of an upload).
 */
export interface UiRig {
  readonly server: UploadServer
  /** Where the reference server keeps the bytes (rig-store.ts). */
  readonly store: StoreName
  readonly origin: string
  browser: Browser
  /** The page's URL; `server` and `key` are set, the rest of `query` goes to the page. */
  pageUrl: (query?: Record<string, string>) => string
  diskFile: (size: number, name?: string) => { path: string; sha256: string }
  /** A file of `size` bytes, written in `dir` (created on demand) under `name`. */
  diskFileIn: (dir: string, size: number, name: string) => { path: string; sha256: string }
  control: <T>(method: string, path: string, body?: unknown) => Promise<T>
  stats: () => Promise<UploadStats>
  faults: (rules: readonly FaultRule[]) => Promise<void>
  /** sha256 of the stored media's original bytes. */
  mediaSha256: (id: string) => Promise<string>
  /** Closes the reference server; `startServer()` brings it back on the same port and data. */
  stopServer: () => Promise<void>
  startServer: () => Promise<void>
  stop: () => Promise<void>
}

export type { FaultRule, RequestRecord, UploadStats }

export async function startUiRig(options: { store?: StoreName } = {}): Promise<UiRig> {
  const store = await startRigStore(options.store ?? 'disk')
  const dataDir = mkdtempSync(join(tmpdir(), 'partwise-e2e-ui-data-'))
  const files = mkdtempSync(join(tmpdir(), 'partwise-e2e-ui-'))
  const signingSecret = createHash('sha256').update(dataDir).digest('hex')
  const apiKey = `pw_key_e2e_${signingSecret.slice(0, 16)}`
  let port = 0
  const newServer = async (): Promise<UploadServer> =>
    createUploadServer(
      withStorage({ control: true, dataDir, signingSecret, apiKey, port }, await store.open()),
    )
  let server = await newServer()
  const origin = await server.listen()
  port = Number(new URL(origin).port)

  const vite: ViteDevServer = await createServer({
    configFile: false,
    root: resolve('test/e2e/ui-page'),
    logLevel: 'error',
    plugins: [react()],
    server: {
      host: '127.0.0.1',
      port: 0,
      strictPort: false,
      fs: { allow: [resolve('.')] },
      // No HMR: an edit to src/ while a test runs must not reload the page under it.
      hmr: false,
    },
  })
  await vite.listen()
  const address = vite.httpServer?.address()
  const vitePort = typeof address === 'object' && address ? address.port : 0
  const browser = await chromium.launch(chromiumLaunchOptions())

  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method }
    if (body !== undefined) {
      init.body = JSON.stringify(body)
      init.headers = { 'Content-Type': 'application/json' }
    }
    const response = await fetch(origin + path, init)
    const parsed = (await response.json()) as { data?: T; error?: { message: string } }
    if (!response.ok || parsed.data === undefined) {
      throw new Error(`${method} ${path}: ${response.status} ${parsed.error?.message ?? ''}`)
    }
    return parsed.data
  }
  const write = (dir: string, size: number, name: string) => {
    const bytes = patternBytes(size, size + name.length * 7 + 11)
    const path = join(dir, name)
    writeFileSync(path, bytes)
    return { path, sha256: createHash('sha256').update(bytes).digest('hex') }
  }

  return {
    get server() {
      return server
    },
    store: store.name,
    origin,
    browser,
    pageUrl: (query = {}) => {
      const search = new URLSearchParams({ server: origin, key: apiKey, ...query })
      return `http://127.0.0.1:${vitePort}/index.html?${search}`
    },
    diskFile: (size, name = `file-${size}.bin`) => write(files, size, name),
    diskFileIn: (dir, size, name) => {
      const full = join(files, dir)
      mkdirSync(full, { recursive: true })
      return write(full, size, name)
    },
    control,
    stats: () => control<UploadStats>('GET', '/__control/stats'),
    faults: async (rules) => {
      await control('PUT', '/__control/faults', { rules })
    },
    mediaSha256: async (id) =>
      (await control<{ sha256: string }>('GET', `/__control/media/${id}`)).sha256,
    stopServer: () => server.close(),
    startServer: async () => {
      server = await newServer()
      await server.listen()
    },
    stop: async () => {
      await browser.close()
      await vite.close()
      await server.close()
      await store.stop()
      rmSync(files, { recursive: true, force: true })
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** What the page mirrors on `window.ui` (see test/e2e/ui-page/main.tsx). */
export interface UiFileResult {
  name: string
  status: 'success' | 'error' | 'cancelled'
  mediaId: string | null
  errorCode: string | null
  errorMessage: string | null
}

export interface UiState {
  results: UiFileResult[]
  completeCalls: number
  sessions: number
  uploadUrls: string[]
}

export const uiState = (page: Page): Promise<UiState> =>
  page.evaluate(() => (window as unknown as { ui: UiState }).ui)

/** Waits until `count` file results (any ending) are mirrored on the page. */
export async function waitForResults(
  page: Page,
  count: number,
  timeout = 60_000,
): Promise<UiState> {
  await page.waitForFunction(
    (n) => (window as unknown as { ui?: UiState }).ui?.results.length === n,
    count,
    { timeout, polling: 50 },
  )
  return uiState(page)
}

/** The file input of `<Upload />`. */
export const FILE_INPUT = 'input[type="file"]'
