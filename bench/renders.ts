/**
 * React renders a second during an upload through `<Upload />` at its defaults: commits
 * counted by a DevTools hook installed before React loads (react.html), between the pick and
 * the success callback.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { formatSize } from './args.ts'
import type { ReactOutcome } from './page/react-main.tsx'
import type { RunSetup } from './run-one.ts'

export interface RendersResult {
  rendersPerSecond: number | null
  note: string
  /** True when the upload through `<Upload />` stored other bytes than the file's. */
  bytesDiffer: boolean
}

/** Whether partwise/react exists yet: the page is only built with it. */
export function hasReactEntry(): boolean {
  return existsSync(fileURLToPath(new URL('../src/react/index.ts', import.meta.url)))
}

export async function measureRenders(setup: RunSetup): Promise<RendersResult> {
  if (!hasReactEntry()) {
    return {
      rendersPerSecond: null,
      note: 'TODO: partwise/react has no <Upload /> yet',
      bytesDiffer: false,
    }
  }
  const { host, browser, file } = setup
  const { url } = await host.call('prepare', { kind: 'partwise' })
  const page = await browser.openPage(new URL('react.html', setup.pageUrl).href)
  try {
    await page.evaluate(`window.__benchReact.arm(${JSON.stringify(url)})`)
    await page.pick(file.path, 'input[type=file]')
    const outcome = (await page.evaluate('window.__benchReact.done()')) as ReactOutcome
    if (!outcome.ok) {
      return {
        rendersPerSecond: null,
        note: `the upload failed: ${outcome.error}`,
        bytesDiffer: false,
      }
    }
    const seconds = (outcome.endedAt - outcome.pickedAt) / 1000
    const digest = await host
      .call('verify', { kind: 'partwise', url, remoteId: outcome.mediaId })
      .catch(() => null)
    return {
      rendersPerSecond: outcome.commits / seconds,
      note: `<Upload /> at its defaults, ${formatSize(file.size)}: ${outcome.commits} commits in ${seconds.toFixed(2)} s`,
      bytesDiffer: digest?.sha256 !== file.sha256 || digest.size !== file.size,
    }
  } finally {
    await page.close()
  }
}
