/** What a benchmark run needs from a browser, whichever way it is driven. */
export interface BenchBrowser {
  /** How the browser is driven; reported with every memory figure. */
  readonly driver: 'playwright' | 'plain-cdp'
  readonly version: string
  /** A fresh page (a new browser context: no preflight cache, no storage) at `url`. */
  openPage(url: string): Promise<BenchPage>
  close(): Promise<void>
}

export interface BenchPage {
  /** Evaluates `expression` in the page, awaiting a promise; the value comes back as JSON. */
  evaluate(expression: string): Promise<unknown>
  /** Picks the file at `path` into the input `selector` finds, through DOM.setFileInputFiles. */
  pick(path: string, selector?: string): Promise<void>
  /** The page's used JS heap, in bytes. */
  heapUsed(): Promise<number>
  collectGarbage(): Promise<void>
  /** Sends a DevTools command to the page's target (for the CPU profiler). */
  cdp(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>
  /** Reloads and waits for the load event. */
  reload(): Promise<void>
  close(): Promise<void>
}
