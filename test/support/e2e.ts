import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright'
import { createServer, type ViteDevServer } from 'vite'
import { createUploadServer, type UploadServer } from '../../src/server/index.ts'
import { chromiumLaunchOptions } from '../../tooling/chromium.ts'
import { patternBytes } from './bytes.ts'
import { type StoreName, startRigStore, withStorage } from './rig-store.ts'

/**
 * End-to-end rig: the reference server and a Vite dev server for a test page, both on
 * 127.0.0.1 with free ports (so the page and the upload URLs are different origins), and the
 * system Chromium through Playwright. `stop()` closes everything and removes the temp files.
 */
export interface Rig {
  server: UploadServer
  /** Where the reference server keeps the bytes (rig-store.ts). */
  store: StoreName
  pageUrl: (page: string, query?: Record<string, string>) => string
  browser: Browser
  /** A file on disk, as users pick them: Chromium reads it from disk, not from memory. */
  diskFile: (size: number, name?: string) => { path: string; sha256: string }
  control: <T>(method: string, path: string, body?: unknown) => Promise<T>
  stop: () => Promise<void>
}

export async function startRig(root: string, options: { store?: StoreName } = {}): Promise<Rig> {
  const store = await startRigStore(options.store ?? 'disk')
  const server = createUploadServer(withStorage({ control: true }, await store.open()))
  const origin = await server.listen()
  const vite: ViteDevServer = await createServer({
    configFile: false,
    root: resolve(root),
    logLevel: 'error',
    // No HMR: an edit under src/ while the suite runs must not reload the page mid-upload.
    server: { host: '127.0.0.1', port: 0, hmr: false, fs: { allow: [resolve('.')] } },
  })
  await vite.listen()
  const address = vite.httpServer?.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const browser = await chromium.launch(chromiumLaunchOptions())
  const files = mkdtempSync(join(tmpdir(), 'partwise-e2e-'))
  return {
    server,
    store: store.name,
    browser,
    pageUrl: (page, query = {}) => {
      const search = new URLSearchParams({ server: origin, key: server.apiKey, ...query })
      return `http://127.0.0.1:${port}/${page}?${search}`
    },
    diskFile: (size, name = `file-${size}.bin`) => {
      const bytes = patternBytes(size, size + 11)
      const path = join(files, name)
      writeFileSync(path, bytes)
      return { path, sha256: createHash('sha256').update(bytes).digest('hex') }
    },
    control: async (method, path, body) => {
      const init: RequestInit = { method }
      if (body !== undefined) {
        init.body = JSON.stringify(body)
        init.headers = { 'Content-Type': 'application/json' }
      }
      const response = await fetch(origin + path, init)
      return ((await response.json()) as { data: never }).data
    },
    stop: async () => {
      await browser.close()
      await vite.close()
      await server.close()
      await store.stop()
      rmSync(files, { recursive: true, force: true })
    },
  }
}

export function waitForSnapshot(page: Page, predicate: string, timeout = 60_000): Promise<unknown> {
  return page.waitForFunction(
    `(() => { const s = window.partwise && window.partwise.snapshot; return !!s && (${predicate}) })()`,
    undefined,
    { timeout, polling: 20 },
  )
}

/**
 * The part indexes in the page's one resume record (localStorage; src/core/resume-store.ts):
 * the receipts the client has recorded, which is what a reloaded page can know. The server may
 * have answered more parts, whose answers never reached the page.
 */
export function recordedParts(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('partwise:'))
    if (keys.length !== 1) throw new Error(`expected one resume record, found ${keys.length}`)
    const record = JSON.parse(localStorage.getItem(keys[0] as string) ?? '{}') as {
      parts?: Record<string, string>
    }
    return Object.keys(record.parts ?? {})
      .map(Number)
      .sort((a, b) => a - b)
  })
}

/** Waits until the page's resume record holds at least `count` acknowledged parts. */
export async function waitForRecordedParts(page: Page, count: number, timeout = 60_000) {
  await page.waitForFunction(
    (n) =>
      Object.keys(localStorage).some((k) => {
        if (!k.startsWith('partwise:')) return false
        const parts = (JSON.parse(localStorage.getItem(k) ?? '{}') as { parts?: object }).parts
        return Object.keys(parts ?? {}).length >= n
      }),
    count,
    { timeout, polling: 20 },
  )
}
