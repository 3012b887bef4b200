import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { Profiler, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { Upload, useResumableUpload } from '../../src/react/index.ts'
import { makeFile } from '../support/bytes.ts'
import { createSession, resetServer, setFaults } from '../support/server.ts'

/**
 * Small parts, four or six in flight, each held 60 ms by the server: every file acknowledges a
 * part about every 10-15 ms, more often than a frame, and an upload lasts at least
 * parts / concurrency × 60 ms however fast the machine is. What is tested is how commits relate
 * to that stream of progress, not how many parts there are: a few dozen suffice (hundreds made
 * this file take 30-50 s on a loaded two-core machine, mostly rendering <Upload> in dev mode).
 */
const PART = 32 * 1024
const HELD_MS = 60
const FRAME_MS = 16 // src/react/frame-throttle.ts and the core's own progress interval
const url = async () => (await createSession()).url
/**
 * Picks files as the browser's dialog does, inside the page: `userEvent.upload` would ship every
 * byte through the test runner's connection to Playwright first, seconds on a loaded machine.
 */
const pick = (files: File[]) => {
  const input = document.querySelector('input[type=file]') as HTMLInputElement
  const data = new DataTransfer()
  for (const file of files) data.items.add(file)
  input.files = data.files
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

/**
 * Counts the commits of `children` after the mount, the time they span, and the status changes
 * shown meanwhile (`data-status` attributes that changed): a status change renders at once, on
 * top of the once-a-frame progress.
 */
function counting(children: ReactNode) {
  const commits: number[] = []
  let statusChanges = 0
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if ((r.target as Element).getAttribute('data-status') !== r.oldValue) statusChanges++
    }
  })
  const tree = (
    <Profiler
      id="upload"
      onRender={(_id, phase, _d, _b, _s, at) => phase !== 'mount' && commits.push(at)}
    >
      {children}
    </Profiler>
  )
  const observe = (container: HTMLElement) =>
    observer.observe(container, {
      subtree: true,
      attributeFilter: ['data-status'],
      attributeOldValue: true,
    })
  const rate = () => {
    observer.disconnect()
    const seconds = ((commits.at(-1) ?? 0) - (commits[0] ?? 0)) / 1000
    return { commits: commits.length, seconds, statusChanges }
  }
  return { tree, observe, rate }
}

/**
 * At most one progress commit per frame of the span the commits cover, plus one per status
 * change (those go out at once), plus two for the commits at either end of the span. Both
 * sides are counted in this run: load stretches the span and the frames alike, and a render
 * per progress event (or one per file with several files moving) would exceed it.
 */
const expectFrameRate = (r: { commits: number; seconds: number; statusChanges: number }) => {
  expect(r.seconds).toBeGreaterThan(0.2) // long enough to measure a rate (held parts ensure it)
  const frames = Math.ceil((r.seconds * 1000) / FRAME_MS)
  console.log('RATE', JSON.stringify({ ...r, frames }))
  expect(r.commits, JSON.stringify(r)).toBeLessThanOrEqual(frames + r.statusChanges + 2)
}

function HookProgress({ file }: { file: File }) {
  const u = useResumableUpload({ url, chunkSize: PART, concurrency: 6, resume: false })
  return (
    <button type="button" onClick={() => void u.upload(file)} data-status={u.status}>
      {Math.round(u.progress * 100)}%
    </button>
  )
}

beforeEach(async () => {
  await resetServer()
  await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: HELD_MS }])
})
afterEach(cleanup)

describe('progress renders at most about once a frame', () => {
  it('with useResumableUpload', async () => {
    // 36 parts, 6 at a time: at least 6 × 60 ms.
    const { tree, observe, rate } = counting(
      <HookProgress file={makeFile(36 * PART, 'fast.bin')} />,
    )
    observe(render(tree).container)
    await userEvent.click(screen.getByRole('button'))
    await waitFor(() => expect(screen.getByRole('button').dataset.status).toBe('success'), {
      timeout: 40_000,
    })
    expectFrameRate(rate())
  }, 60_000)

  it('with <Upload multiple>, three files moving at once', async () => {
    const { tree, observe, rate } = counting(
      <Upload
        url={url}
        chunkSize={PART}
        concurrency={4}
        resume={false}
        multiple
        parallelFiles={3}
      />,
    )
    const { container } = render(tree)
    observe(container)
    // 16 parts each, 4 at a time: at least 4 × 60 ms, three files side by side.
    const files = [1, 2, 3].map((n) => makeFile(16 * PART, `f${n}.bin`, n))
    pick(files)
    await waitFor(
      () =>
        expect(container.querySelector('[data-status]')?.getAttribute('data-status')).toBe(
          'success',
        ),
      { timeout: 40_000 },
    )
    expectFrameRate(rate())
  }, 60_000)
})
