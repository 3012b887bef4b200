import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type Browser, chromium } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumLaunchOptions } from '../../tooling/chromium.ts'

/**
 * `npm start` as a newcomer meets it: the script itself, started as a process, its page in
 * Chromium, a file picked through the UI, and the file found in the list the page shows.
 */
let child: ChildProcess
let browser: Browser
let pageUrl = ''
let serverUrl = ''
const dataDir = mkdtempSync(join(tmpdir(), 'partwise-demo-'))

beforeAll(async () => {
  child = spawn(resolve('node_modules/.bin/tsx'), ['scripts/start.ts'], {
    env: { ...process.env, PORT: '0', PARTWISE_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`npm start did not come up:\n${output}`)), 45_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal's colours
      output += chunk.toString().replace(/\u001b\[[0-9;]*m/g, '')
      const local = /Local:\s+(http:\/\/\S+?)\/?\s/.exec(output)
      const server = /reference server:\s+(http:\/\/\S+)/.exec(output)
      if (local?.[1] && server?.[1]) {
        pageUrl = local[1]
        serverUrl = server[1]
        clearTimeout(timer)
        done()
      }
    })
    child.once('exit', (code) => fail(new Error(`npm start exited (${code}):\n${output}`)))
  })
  browser = await chromium.launch(chromiumLaunchOptions())
}, 60_000)

afterAll(async () => {
  await browser?.close()
  child?.kill('SIGTERM')
  rmSync(dataDir, { recursive: true, force: true })
})

const fixture = (name: string) => resolve('test/fixtures/media', name)

describe('npm start', () => {
  it('uploads a file picked in the page and lists it, with what the server read from it', async () => {
    const page = await browser.newPage()
    await page.goto(pageUrl)
    await page.setInputFiles('input[type=file]', fixture('image-64x48.png'))
    const row = page.getByRole('row', { name: /image-64x48\.png/ })
    await row.waitFor({ timeout: 20_000 })
    await expect(row.textContent()).resolves.toMatch(/image.*64×48/)
    const href = await row.getByRole('link').getAttribute('href')
    const served = await fetch(new URL(href ?? '', pageUrl))
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    await page.close()
  })

  it('explains a refusal by the chosen conditions in words, and sends nothing', async () => {
    await fetch(`${serverUrl}/__control/reset`, { method: 'POST' })
    const page = await browser.newPage()
    await page.goto(pageUrl)
    await page.getByLabel('Videos up to 30 s and 1920 px').check()
    await page.setInputFiles('input[type=file]', fixture('image-64x48.png'))
    await page
      .getByText(/Only video files are accepted; this is an image/)
      .first()
      .waitFor()
    const stats = (await (await fetch(`${serverUrl}/__control/stats`)).json()) as {
      data: { bytesReceived: number }
    }
    expect(stats.data.bytesReceived).toBe(0)
    await page.close()
  })

  it('serves a second page, in plain HTML, whose <partwise-upload> uploads and fills its form', async () => {
    const page = await browser.newPage()
    await page.goto(`${pageUrl}/element.html`)
    // Playwright's CSS selectors reach into open shadow roots: the native input is there.
    await page.setInputFiles('partwise-upload input[type=file]', fixture('image-40x30.gif'))
    await page.getByRole('row', { name: /image-40x30\.gif/ }).waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Publish' }).click()
    const sent = page.locator('#sent')
    await sent.getByText(/media=/).waitFor()
    await expect(sent.textContent()).resolves.toMatch(/^title=Holiday\nmedia=\S+$/)
    await page.close()
  })
  it('lists an upload interrupted by a reload above the drop zone, and continues it (#16)', async () => {
    const control = (path: string, init?: RequestInit) =>
      fetch(`${serverUrl}/__control/${path}`, init)
    await control('reset', { method: 'POST' })
    // Parts held 300 ms each: the reload comes while most of them are still to go.
    await control('faults', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 300 }],
      }),
    })
    const path = join(dataDir, 'reloaded.bin')
    writeFileSync(path, Buffer.alloc(4 * 1024 * 1024, 7))
    const page = await browser.newPage()
    await page.goto(pageUrl)
    await page.setInputFiles('input[type=file]', path)
    const acknowledged = async () => {
      const stats = (await (await control('stats')).json()) as {
        data: { requests: Array<{ method: string; status: number }> }
      }
      return stats.data.requests.filter((r) => r.method === 'PUT' && r.status === 200).length
    }
    while ((await acknowledged()) < 2) await new Promise((done) => setTimeout(done, 100))
    await page.reload()
    const list = page.getByRole('list', { name: 'Interrupted uploads' })
    await list.getByText('reloaded.bin', { exact: true }).waitFor({ timeout: 20_000 })
    await expect(list.textContent()).resolves.toMatch(/stopped at \d+ %/)
    // The file was set on the input, not picked through a handle: it is picked again.
    await control('faults', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules: [] }),
    })
    await page.setInputFiles('input[type=file]', path)
    await page.getByRole('row', { name: /reloaded\.bin/ }).waitFor({ timeout: 30_000 })
    await list.waitFor({ state: 'detached' })
    await page.close()
  })
})
