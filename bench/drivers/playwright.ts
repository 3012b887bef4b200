/**
 * Chromium driven by Playwright, as the tests drive it. Playwright enables DevTools' Network
 * domain on every page it attaches to, which may keep request bodies alive (PERFORMANCE.md):
 * the plain-CDP driver exists to measure memory without it.
 */
import { type BrowserContext, type CDPSession, chromium, type Page } from 'playwright'
import { CHROMIUM_ARGS, findChromium } from '../../tooling/chromium.ts'
import type { BenchBrowser, BenchPage } from './types.ts'

class PlaywrightPage implements BenchPage {
  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private session: CDPSession,
  ) {}

  evaluate(expression: string): Promise<unknown> {
    return this.page.evaluate(expression)
  }

  async pick(path: string, selector = '#file'): Promise<void> {
    await this.page.setInputFiles(selector, path)
  }

  async cdp(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    // Playwright types each method; the profiler's few calls go through untyped.
    const send = this.session.send.bind(this.session) as (
      m: string,
      p?: Record<string, unknown>,
    ) => Promise<Record<string, unknown>>
    return send(method, params)
  }

  async heapUsed(): Promise<number> {
    const { usedSize } = await this.session.send('Runtime.getHeapUsage')
    return usedSize
  }

  async collectGarbage(): Promise<void> {
    await this.session.send('HeapProfiler.collectGarbage')
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' })
    // A session may not outlive a navigation that swapped the renderer: take a fresh one.
    await this.session.detach().catch(() => undefined)
    this.session = await this.context.newCDPSession(this.page)
  }

  async close(): Promise<void> {
    await this.context.close()
  }
}

export async function launchPlaywright(): Promise<BenchBrowser> {
  const executablePath = findChromium()
  const browser = await chromium.launch({
    ...(executablePath ? { executablePath } : {}),
    args: CHROMIUM_ARGS,
    headless: true,
  })
  return {
    driver: 'playwright',
    version: browser.version(),
    async openPage(url) {
      const context = await browser.newContext()
      const page = await context.newPage()
      await page.goto(url, { waitUntil: 'load' })
      return new PlaywrightPage(context, page, await context.newCDPSession(page))
    },
    close: () => browser.close(),
  }
}
