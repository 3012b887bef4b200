/**
 * partwise in a Next.js 16 App Router app, as a user installs it (#17 item 6): the packed
 * tarball in the app's node_modules, `next build` (Turbopack), `next start`, and one upload in
 * Chromium through the app's route, which calls `createUploadSession` against the reference
 * server. The app (test/next/app) also renders `<Upload>` from a Server Component, which only
 * builds because partwise/react carries 'use client'.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { type Browser, chromium } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUploadServer } from '../../src/server/index.ts'
import type { UploadServer } from '../../src/server/types.ts'
import { chromiumLaunchOptions } from '../../tooling/chromium.ts'
import { packPartwise } from '../support/pack.ts'
import { freePort, stopChild, track, waitUntil } from '../support/processes.ts'

const app = resolve('test/next/app')
const next = resolve('node_modules/next/dist/bin/next')
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' }

let server: UploadServer
let serverUrl = ''
let nextProcess: ChildProcess | undefined
let appUrl = ''
let browser: Browser | undefined
let dataDir = ''
let buildLog = ''

beforeAll(async () => {
  const started = Date.now()
  const tarball = packPartwise()
  // The app's own copy, as `npm install partwise-0.1.0.tgz` would leave it.
  const installed = join(app, 'node_modules', 'partwise')
  rmSync(installed, { recursive: true, force: true })
  rmSync(join(app, '.next'), { recursive: true, force: true })
  mkdirSync(installed, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  rmSync(dirname(tarball), { recursive: true, force: true })
  const packed = Date.now()
  try {
    buildLog = execFileSync(process.execPath, [next, 'build'], {
      cwd: app,
      env,
      encoding: 'utf8',
      stdio: 'pipe',
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(`next build failed:\n${stdout ?? ''}\n${stderr ?? ''}`)
  }
  console.log(
    `pack ${((packed - started) / 1000).toFixed(0)} s, next build ${((Date.now() - packed) / 1000).toFixed(0)} s`,
  )

  dataDir = mkdtempSync(join(tmpdir(), 'partwise-next-data-'))
  server = createUploadServer({ dataDir, apiKey: 'next-app-key' })
  serverUrl = await server.listen()

  const port = await freePort()
  appUrl = `http://127.0.0.1:${port}`
  nextProcess = spawn(process.execPath, [next, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: app,
    env: { ...env, UPLOAD_API_URL: serverUrl, UPLOAD_API_KEY: 'next-app-key' },
    stdio: 'ignore',
  })
  track(nextProcess, 'SIGTERM')
  await waitUntil('next start', async () => (await fetch(appUrl)).ok, 60_000, 250)
  browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true })
}, 600_000)

afterAll(async () => {
  await browser?.close()
  if (nextProcess) await stopChild(nextProcess)
  await server?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
})

describe('a Next.js 16 App Router app with the packed partwise', () => {
  it('builds a Server Component that renders <Upload> from partwise/react', () => {
    expect(buildLog).toMatch(/\/server-component/)
  })

  it('type-checks as a strict app against the packed types', () => {
    const tsc = resolve('node_modules/.bin/tsc')
    try {
      execFileSync(tsc, ['-p', app, '--incremental', 'false'], { stdio: 'pipe' })
    } catch (error) {
      expect(String((error as { stdout?: Buffer }).stdout ?? error)).toBe('')
    }
  }, 60_000)

  it('uploads a file through its route, byte for byte', async () => {
    const page = await browser!.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto(appUrl)
    const bytes = Buffer.alloc(3 * 1024 * 1024 + 7, 0)
    for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 31 + 7) & 0xff
    await page.setInputFiles('input[type=file]', {
      name: 'next.bin',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    })
    const stored = page.locator('output[data-media]')
    await stored.waitFor({ timeout: 60_000 })
    const mediaId = await stored.getAttribute('data-media')
    expect(errors).toEqual([])

    // What the server kept: the media, its original file, and that file's bytes.
    const auth = { Authorization: 'Bearer next-app-key' }
    const listed = (await (await fetch(`${serverUrl}/files`, { headers: auth })).json()) as {
      data: Array<{ media_id: string; url: string; metadata: Record<string, unknown> }>
    }
    const file = listed.data.find((f) => f.media_id === mediaId)
    expect(file?.metadata).toEqual({ name: 'next.bin' })
    const served = Buffer.from(await (await fetch(file!.url)).arrayBuffer())
    const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    expect(digest(served)).toBe(digest(bytes))
    await page.close()
  })
})
