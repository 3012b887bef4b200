import { cleanup, render, screen, waitFor } from '@testing-library/react'
import { Profiler, type ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { Upload, useResumableUpload } from '../../src/react/index.ts'
import { makeFile } from '../support/bytes.ts'
import { createSession, resetServer } from '../support/server.ts'

/** Small parts on loopback: thousands of progress events a second, far more than frames. */
const PART = 32 * 1024
const url = async () => (await createSession()).url
const input = () => document.querySelector('input[type=file]') as HTMLInputElement

/** Counts commits of `children` between the first and the last, and the time they span. */
function counting(children: ReactNode) {
  const commits: number[] = []
  const tree = (
    <Profiler
      id="upload"
      onRender={(_id, phase, _d, _b, _s, at) => phase !== 'mount' && commits.push(at)}
    >
      {children}
    </Profiler>
  )
  const rate = () => {
    const seconds = ((commits.at(-1) ?? 0) - (commits[0] ?? 0)) / 1000
    return {
      commits: commits.length,
      seconds,
      perSecond: commits.length / Math.max(seconds, 0.001),
    }
  }
  return { tree, rate }
}

/** About once a frame: 60 a second, plus the few renders of state changes. */
const expectFrameRate = ({ commits, seconds }: { commits: number; seconds: number }) => {
  expect(seconds).toBeGreaterThan(0.2) // long enough to measure a rate
  expect(commits).toBeLessThanOrEqual(Math.ceil(seconds * 60) + 10)
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
})
afterEach(cleanup)

describe('progress renders at most about once a frame', () => {
  it('with useResumableUpload', async () => {
    const { tree, rate } = counting(<HookProgress file={makeFile(24 * 1024 * 1024, 'fast.bin')} />)
    render(tree)
    await userEvent.click(screen.getByRole('button'))
    await waitFor(() => expect(screen.getByRole('button').dataset.status).toBe('success'), {
      timeout: 20_000,
    })
    expectFrameRate(rate())
  })

  it('with <Upload multiple>, three files moving at once', async () => {
    const { tree, rate } = counting(
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
    const files = [1, 2, 3].map((n) => makeFile(8 * 1024 * 1024, `f${n}.bin`, n))
    await userEvent.upload(input(), files)
    await waitFor(
      () =>
        expect(container.querySelector('[data-status]')?.getAttribute('data-status')).toBe(
          'success',
        ),
      {
        timeout: 20_000,
      },
    )
    expectFrameRate(rate())
  })
})
