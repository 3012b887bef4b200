/**
 * `npm start`: the demo. The reference upload server and a Vite dev server for `demo/`, wired
 * by the partwiseServer plugin: a backend route `/api/upload-session` creates sessions with the
 * API key (which never reaches the page), `/api/files` lists the uploaded files, and the page
 * talks to the upload server directly for parts, as a real app talks to the hosted service.
 *
 * Everything lives in `.data/` (files, sessions, the API key and signing secret), so a restart
 * keeps uploads, including unfinished ones a reloaded page can resume.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { IncomingMessage } from 'node:http'
import { join, resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { createServer } from 'vite'
import { PRESETS } from '../demo/presets.ts'
import { partwiseServer } from '../src/server/index.ts'

const dataDir = resolve(process.env.PARTWISE_DATA ?? '.data')
mkdirSync(dataDir, { recursive: true })

/** A secret kept in the data folder, made once: restarts keep the same key and signatures. */
function keep(name: string, make: () => string): string {
  const path = join(dataDir, name)
  if (existsSync(path)) return readFileSync(path, 'utf8').trim()
  const value = make()
  writeFileSync(path, value, { mode: 0o600 })
  return value
}

const apiKey =
  process.env.PARTWISE_API_KEY ?? keep('api-key', () => `pw_dev_${randomBytes(12).toString('hex')}`)
const signingSecret = keep('signing-secret', () => randomBytes(32).toString('hex'))

/** The session carries the same conditions the page checks, so the server enforces them too. */
function sessionFor(req: IncomingMessage) {
  const preset = new URL(req.url ?? '/', 'http://demo.invalid').searchParams.get('preset') ?? 'any'
  const conditions = PRESETS[preset]?.conditions
  return conditions ? { resumable: true, conditions } : { resumable: true }
}

const port = Number(process.env.PORT ?? 5173)
const vite = await createServer({
  configFile: false,
  root: resolve('demo'),
  plugins: [
    react(),
    partwiseServer({
      dataDir,
      apiKey,
      signingSecret,
      control: true,
      port: Number(process.env.PARTWISE_SERVER_PORT ?? 0),
      sessionRoute: '/api/upload-session',
      filesRoute: '/api/files',
      session: sessionFor,
    }),
  ],
  server: { host: '127.0.0.1', port, fs: { allow: [resolve('.')] } },
})
await vite.listen()
vite.printUrls()
console.log(`  API key (stays on this server): ${apiKey}`)
console.log(`  Data: ${dataDir}\n  Stop with Ctrl+C.`)

const stop = async () => {
  await vite.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
