/**
 * Chromium launched by the harness and driven over a plain DevTools pipe, with only the
 * domains a run needs (Page, Runtime, DOM): nothing tracks the network, so nothing holds on to
 * request bodies. The file is still picked into the `<input>` by DOM.setFileInputFiles, the
 * very call Playwright's setInputFiles makes.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { CHROMIUM_ARGS, findChromium } from '../../tooling/chromium.ts'
import { CdpPipe } from './cdp-pipe.ts'
import type { BenchBrowser, BenchPage } from './types.ts'

/** What Playwright adds to keep a page running at full speed; the same here for parity. */
const PARITY_ARGS = [
  '--headless',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-renderer-backgrounding',
  '--disable-ipc-flooding-protection',
  '--disable-hang-monitor',
  '--disable-field-trial-config',
  '--disable-extensions',
  '--disable-breakpad',
]

class PlainPage implements BenchPage {
  constructor(
    private readonly pipe: CdpPipe,
    private readonly sessionId: string,
    private readonly contextId: string,
  ) {}

  #send(method: string, params: Record<string, unknown> = {}) {
    return this.pipe.send(method, params, this.sessionId)
  }

  async evaluate(expression: string): Promise<unknown> {
    const reply = await this.#send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })
    const thrown = reply.exceptionDetails as { exception?: { description?: string } } | undefined
    if (thrown) throw new Error(thrown.exception?.description ?? 'evaluation failed')
    return (reply.result as { value?: unknown }).value
  }

  async pick(path: string, selector = '#file'): Promise<void> {
    const { root } = (await this.#send('DOM.getDocument')) as { root: { nodeId: number } }
    const { nodeId } = await this.#send('DOM.querySelector', { nodeId: root.nodeId, selector })
    await this.#send('DOM.setFileInputFiles', { nodeId, files: [path] })
  }

  cdp(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#send(method, params)
  }

  async heapUsed(): Promise<number> {
    return (await this.#send('Runtime.getHeapUsage')).usedSize as number
  }

  async collectGarbage(): Promise<void> {
    await this.#send('HeapProfiler.collectGarbage')
  }

  async reload(): Promise<void> {
    await this.#loaded(() => this.#send('Page.reload'))
  }

  /** Runs `action` and resolves at the page's next load event. */
  async #loaded(action: () => Promise<unknown>): Promise<void> {
    let stop = (): void => undefined
    const loaded = new Promise<void>((resolve) => {
      stop = this.pipe.on('Page.loadEventFired', (_params, sessionId) => {
        if (sessionId === this.sessionId) resolve()
      })
    })
    await action()
    await loaded
    stop()
  }

  async navigate(url: string): Promise<void> {
    await this.#send('Page.enable')
    await this.#loaded(() => this.#send('Page.navigate', { url }))
  }

  async close(): Promise<void> {
    await this.pipe.send('Target.disposeBrowserContext', { browserContextId: this.contextId })
  }
}

export async function launchPlainCdp(): Promise<BenchBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'partwise-bench-chromium-'))
  const child = spawn(
    findChromium() ?? 'chromium',
    [
      ...CHROMIUM_ARGS,
      ...PARITY_ARGS,
      '--remote-debugging-pipe',
      `--user-data-dir=${userDataDir}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  )
  const cdp = new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable)
  const { product } = (await cdp.send('Browser.getVersion')) as { product: string }
  return {
    driver: 'plain-cdp',
    version: product.replace(/^[^/]*\//, ''),
    async openPage(url) {
      const { browserContextId } = await cdp.send('Target.createBrowserContext')
      const { targetId } = await cdp.send('Target.createTarget', {
        url: 'about:blank',
        browserContextId,
      })
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true })
      const page = new PlainPage(cdp, sessionId as string, browserContextId as string)
      await page.navigate(url)
      return page
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      await cdp.send('Browser.close').catch(() => undefined)
      await exited
      await rm(userDataDir, { recursive: true, force: true })
    },
  }
}
