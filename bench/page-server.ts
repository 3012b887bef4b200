/**
 * Builds the benchmark page with Vite (production build: what an app ships) into a temporary
 * directory and serves it from a tiny static server on loopback, on its own origin, so every
 * upload is cross-origin as in production (with the CORS preflights that go with it).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build } from 'vite'
import { hasReactEntry } from './renders.ts'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
}

export interface PageServer {
  /** The page's URL. */
  url: string
  close(): Promise<void>
}

export async function servePage(): Promise<PageServer> {
  const root = fileURLToPath(new URL('./page/', import.meta.url))
  const outDir = await mkdtemp(join(tmpdir(), 'partwise-bench-page-'))
  const input: Record<string, string> = { main: join(root, 'index.html') }
  // The <Upload /> page only once partwise/react exists.
  if (hasReactEntry()) input.react = join(root, 'react.html')
  await build({
    root,
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      sourcemap: false,
      rolldownOptions: { input },
    },
  })
  const server = createServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://page').pathname)
    const file = join(outDir, path === '/' ? 'index.html' : path)
    readFile(file).then(
      (body) =>
        res
          .writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' })
          .end(body),
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }).then(() => rm(outDir, { recursive: true, force: true })),
  }
}
