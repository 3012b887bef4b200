/**
 * The static Storybook, as it is published (`storybook build`): served from a plain folder, with
 * no dev server and no reference server behind it. Every story and docs page must render with no
 * error, the play functions must pass (the live ones upload to the in-page server of
 * stories/memory-server.ts), and the docs page must read as documentation.
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Browser, chromium, type Page } from 'playwright'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumLaunchOptions } from '../../tooling/chromium.ts'
import { serveFolder } from '../support/static-site.ts'

interface Entry {
  id: string
  type: 'story' | 'docs'
  title: string
  name: string
}

/** `npm test` builds the Storybook once before Vitest and names the folder here. */
const BUILT = process.env.PARTWISE_STORYBOOK_STATIC
const WORDS_OF_A_BROKEN_STORY = /run npm run storybook|answered 501|\b501\b/

let folder = ''
let site: Awaited<ReturnType<typeof serveFolder>>
let browser: Browser
/** One preview for every story: a new page would load the whole bundle again (seconds each). */
let page: Page
/** What went wrong in the page since the last `show`: uncaught errors, console errors. */
let errors: string[] = []
let entries: Entry[] = []

beforeAll(async () => {
  if (BUILT && existsSync(join(BUILT, 'index.json'))) {
    folder = BUILT
  } else {
    folder = mkdtempSync(join(tmpdir(), 'partwise-storybook-static-'))
    await promisify(execFile)('npx', [
      'storybook',
      'build',
      '--quiet',
      '--disable-telemetry',
      '--output-dir',
      folder,
    ])
  }
  const index = JSON.parse(readFileSync(join(folder, 'index.json'), 'utf8')) as {
    entries: Record<string, Entry>
  }
  entries = Object.values(index.entries)
  site = await serveFolder(folder)
  browser = await chromium.launch(chromiumLaunchOptions())
  page = await browser.newPage()
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    // The browser asks every site for a favicon; a static host without one answers 404.
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) {
      errors.push(message.text())
    }
  })
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  if (folder && folder !== BUILT) rmSync(folder, { recursive: true, force: true })
})

interface Preview {
  currentRender?: { id?: string; phase?: string }
}
const currentId = () =>
  page.evaluate(
    () => (window as { __STORYBOOK_PREVIEW__?: Preview }).__STORYBOOK_PREVIEW__?.currentRender?.id,
  )

/**
 * Shows a story (until its render and play function are over, passed or not) or a docs page
 * (until its examples are there), as the Storybook UI does: through the preview's channel.
 */
async function show(id: string, viewMode: 'story' | 'docs'): Promise<void> {
  errors = []
  if (page.url() === 'about:blank' || (await currentId()) === id) {
    await page.goto(`${site.origin}/iframe.html?id=${id}&viewMode=${viewMode}`)
  } else {
    await page.evaluate(
      ([storyId, mode]) =>
        (
          window as { __STORYBOOK_ADDONS_CHANNEL__?: { emit: (e: string, a: unknown) => void } }
        ).__STORYBOOK_ADDONS_CHANNEL__?.emit('setCurrentStory', { storyId, viewMode: mode }),
      [id, viewMode],
    )
  }
  await page.waitForFunction(
    ([target, mode]) => {
      const render = (window as { __STORYBOOK_PREVIEW__?: Preview }).__STORYBOOK_PREVIEW__
        ?.currentRender
      if (render?.id !== target) return false
      if (mode === 'story') return render?.phase === 'finished'
      return (
        document.body.classList.contains('sb-show-main') &&
        document.querySelector('#storybook-docs .docs-story') !== null
      )
    },
    [id, viewMode],
    { timeout: 60_000 },
  )
}

/** What the preview shows as broken: its error display, and words a broken story says. */
async function brokenSigns(): Promise<string[]> {
  const shown = await page.evaluate(() => ({
    errorDisplay: document.body.classList.contains('sb-show-errordisplay'),
    message: document.querySelector('#error-message')?.textContent ?? '',
    text: document.body.innerText,
  }))
  const signs = [...errors]
  if (shown.errorDisplay) signs.push(`error display: ${shown.message}`)
  const words = WORDS_OF_A_BROKEN_STORY.exec(shown.text)
  if (words) signs.push(`says "${words[0]}"`)
  return signs
}

/** Each entry of a kind shown in turn; what was broken in each, by id. */
async function visit(type: Entry['type']): Promise<string[]> {
  const failures: string[] = []
  for (const entry of entries.filter((e) => e.type === type)) {
    try {
      await show(entry.id, type)
      const signs = await brokenSigns()
      if (signs.length > 0)
        failures.push(`${entry.id}: ${signs.map((s) => s.slice(0, 300)).join('; ')}`)
    } catch (error) {
      failures.push(`${entry.id}: ${(error as Error).message}`)
    }
  }
  return failures
}

describe('the static Storybook', () => {
  it('renders every story, and every play function passes, with no error shown', async () => {
    expect(entries.filter((e) => e.type === 'story').length).toBeGreaterThan(0)
    expect(await visit('story')).toEqual([])
  })

  it('renders every docs page with no error shown', async () => {
    expect(entries.filter((e) => e.type === 'docs').length).toBeGreaterThan(0)
    expect(await visit('docs')).toEqual([])
  })

  it('uploads a picked file, with no server behind the site', async () => {
    await show('upload--basic', 'story')
    const bytes = Buffer.alloc(300 * 1024, 7)
    await page.setInputFiles('input[type=file]', {
      name: 'holiday.bin',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    })
    const item = page.locator('li[data-status]', { hasText: 'holiday.bin' })
    await expect.poll(() => item.getAttribute('data-status'), { timeout: 30_000 }).toBe('success')
    expect(await item.innerText()).toMatch(/Uploaded/)
    expect(errors).toEqual([])
  })

  it('documents <Upload />: a few examples, a UI font, and a props table with real types and defaults', async () => {
    await show('upload--docs', 'docs')
    await page.waitForSelector('.sbdocs-content table.docblock-argstable tbody tr')
    const examples = await page.locator('.sbdocs-content .docs-story').count()
    expect(examples).toBeGreaterThanOrEqual(3)
    expect(examples).toBeLessThanOrEqual(8)
    const font = await page.evaluate(
      () => getComputedStyle(document.querySelector('.docs-story .partwise') as Element).fontFamily,
    )
    expect(font).not.toMatch(/^"?Times/)
    expect(font).toMatch(/system-ui|sans-serif/)

    // Each row: the name, the type (the last block of the description cell), the default.
    const rows = await page.$$eval('table.docblock-argstable tbody tr', (trs) =>
      trs.map((tr) => {
        const cells = tr.querySelectorAll('td')
        const text = (element: Element | null | undefined) =>
          (element as HTMLElement | null | undefined)?.innerText.trim() ?? ''
        return {
          name: text(cells[0]).replace(/\*$/, ''),
          type: text(cells[1]?.lastElementChild),
          default: text(cells[2]),
        }
      }),
    )
    const row = (name: string) => rows.find((r) => r.name === name)
    for (const internal of ['transport', 'random', 'now']) expect(row(internal)).toBeUndefined()
    expect(row('multiple')).toMatchObject({ type: 'boolean', default: 'false' })
    expect(row('pasteAnywhere')).toMatchObject({ type: 'boolean', default: 'false' })
    // The table shows each member of a union on its own.
    expect(row('mode')).toMatchObject({
      type: expect.stringMatching(/^'resumable'\s+'simple'$/),
      default: "'resumable'",
    })
    expect(row('maxFiles')).toMatchObject({ type: 'number', default: 'Infinity' })
    expect(row('concurrency')?.default).toMatch(/^4\b/)
    // "union" is what the table says of `boolean | undefined` left to Storybook.
    expect(rows.filter((r) => /\bunion\b|\| undefined/.test(r.type)).map((r) => r.name)).toEqual([])
  })
})
