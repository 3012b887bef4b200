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
    private cdp: CDPSession,
  ) {}

  evaluate(expression: string): Promise<unknown> {
    return this.page.evaluate(expression)
  }

  async pick(path: string, selector = '#file'): Promise<void> {
    await this.page.setInputFiles(selector, path)
  }

  async heapUsed(): Promise<number> {
    const { usedSize } = await this.cdp.send('Runtime.getHeapUsage')
    return usedSize
  }

  async collectGarbage(): Promise<void> {
    await this.cdp.send('HeapProfiler.collectGarbage')
  }

  async reload(): Promise<void> {
    await this.page.reload({ waitUntil: 'load' })
    // A session may not outlive a navigation that swapped the renderer: take a fresh one.
    await this.cdp.detach().catch(() => undefined)
    this.cdp = await this.context.newCDPSession(this.page)
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
