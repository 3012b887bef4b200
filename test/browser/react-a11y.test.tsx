import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import axe from 'axe-core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { userEvent } from 'vitest/browser'
import { Upload, type UploadProps } from '../../src/react/index.ts'
import { makeFile } from '../support/bytes.ts'
import { createSession, resetServer, setFaults } from '../support/server.ts'

const PART = 64 * 1024
const props = (extra: Partial<UploadProps> = {}): UploadProps => ({
  url: async () => (await createSession()).url,
  chunkSize: PART,
  concurrency: 1,
  resume: false,
  ...extra,
})
const input = () => document.querySelector('input[type=file]') as HTMLInputElement
const itemOf = async (name: string) =>
  (await screen.findByText(name, { selector: '.partwise__name' })).closest('li') as HTMLElement
/** Waits for a file's status; on failure the message shows the file's text, which says why. */
const statusOf = async (name: string, status: string) => {
  const item = await itemOf(name)
  await waitFor(
    () => expect(`${item.dataset.status} ${item.textContent}`).toMatch(new RegExp(`^${status}`)),
    { timeout: 10_000 },
  )
  return item
}

/** Every axe rule that applies to a component (page-level rules need a whole page). */
async function violations(container: HTMLElement): Promise<string[]> {
  const results = await axe.run(container, { rules: { region: { enabled: false } } })
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)
}

beforeEach(async () => {
  await resetServer()
})
afterEach(cleanup)

describe('<Upload /> has no axe-core violation', () => {
  it('when empty, and disabled', async () => {
    const { container, rerender } = render(<Upload {...props()} multiple accept="image/*" />)
    expect(await violations(container)).toEqual([])
    rerender(<Upload {...props()} disabled />)
    expect(await violations(container)).toEqual([])
  })

  it('while files are dragged over it, accepted or not', async () => {
    const { container } = render(<Upload {...props()} accept="image/*" />)
    const data = new DataTransfer()
    data.items.add(new File(['x'], 'doc.pdf', { type: 'application/pdf' }))
    container.firstElementChild?.dispatchEvent(
      new DragEvent('dragenter', { dataTransfer: data, bubbles: true }),
    )
    await waitFor(() => expect(container.querySelector('[data-drag-reject]')).not.toBeNull())
    expect(await violations(container)).toEqual([])
  })

  it('while uploading, paused, and then done', async () => {
    // Parts held 1 s: the upload is still going after axe's first pass, however long a loaded
    // machine makes that pass (held 150 ms, it could end before Pause was pressed).
    await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }])
    const { container } = render(<Upload {...props()} />)
    await userEvent.upload(input(), makeFile(PART * 6, 'movie.bin'))
    await statusOf('movie.bin', 'uploading')
    expect(await violations(container)).toEqual([])
    await userEvent.click(screen.getByRole('button', { name: 'Pause movie.bin' }))
    await statusOf('movie.bin', 'paused')
    expect(await violations(container)).toEqual([])
    await setFaults([])
    await userEvent.click(screen.getByRole('button', { name: 'Resume movie.bin' }))
    await statusOf('movie.bin', 'success')
    expect(await violations(container)).toEqual([])
  })

  it('with a file refused by the conditions, and a failed one', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', status: 400 }])
    const conditions = [{ prop: 'filesize' as const, operator: '<=' as const, value: 5000 }]
    const { container } = render(<Upload {...props({ conditions })} multiple />)
    await userEvent.upload(input(), [makeFile(9000, 'large.bin'), makeFile(100, 'small.bin')])
    await statusOf('large.bin', 'error')
    await statusOf('small.bin', 'error')
    expect(
      screen.getByText('The file is 9 KB; the limit is 5 KB', { selector: '.partwise__errors li' }),
    ).toBeTruthy()
    expect((await itemOf('large.bin')).querySelector('.partwise__status')?.textContent).toBe(
      'Refused',
    )
    expect((await itemOf('small.bin')).querySelector('.partwise__status')?.textContent).toBe(
      'Failed',
    )
    expect(screen.getByRole('button', { name: 'Retry small.bin' })).toBeTruthy()
    expect(await violations(container)).toEqual([])
  })

  it('with many files in mixed states, and refused drops', async () => {
    // Parts held 1 s: files 1 and 2 stay on the wire, and file 3 waits for a place, while the
    // states are checked (the test ends before any file does, so the hold costs nothing).
    await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }])
    const { container } = render(
      <Upload {...props({ parallelFiles: 2, maxFiles: 4 })} multiple accept=".bin" />,
    )
    await userEvent.upload(
      input(),
      [1, 2, 3, 4, 5].map((n) => makeFile(PART * 2, `f${n}.bin`)),
    )
    await statusOf('f3.bin', 'queued')
    await statusOf('f1.bin', 'uploading')
    expect(screen.getByText('f5.bin: too many files (at most 4)', { selector: 'li' })).toBeTruthy()
    expect(await violations(container)).toEqual([])
  })
})
