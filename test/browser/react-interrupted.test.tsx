import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import axe from 'axe-core'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { findInterruptedUploads, type Media } from '../../src/core/index.ts'
import { Upload, type UploadProps } from '../../src/react/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import { forgetAll, getUrl, holdKeptStore, interrupt, privateFile } from '../support/interrupted.ts'
import {
  partRequests,
  resetServer,
  serverSettled,
  setFaults,
  storedMedia,
} from '../support/server.ts'

/**
 * `<Upload />`'s list of interrupted uploads (#16), from real records: uploads the reference
 * server stopped after two of five parts, from a file handle or from a plain file.
 */
const PART = 64 * 1024
const ENDPOINT = 'react-interrupted'
const props = (extra: Partial<UploadProps> = {}): UploadProps => ({
  url: getUrl,
  endpoint: ENDPOINT,
  chunkSize: PART,
  concurrency: 1,
  ...extra,
})
const list = () => screen.findByRole('list', { name: 'Interrupted uploads' })
const live = () => document.querySelector('[role=status]') as HTMLElement
const input = () => document.querySelector('input[type=file]') as HTMLInputElement
const rowOf = async (name: string) =>
  (await screen.findByText(name, { selector: '.partwise__stopped' })).closest('li') as HTMLElement

async function violations(container: HTMLElement): Promise<string[]> {
  const results = await axe.run(container, { rules: { region: { enabled: false } } })
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)
}

beforeEach(async () => {
  await resetServer()
  await forgetAll()
})
afterEach(async () => {
  cleanup()
  await forgetAll()
})

describe('<Upload /> lists interrupted uploads', () => {
  it('from a kept file handle: Continue by keyboard sends only the missing parts', async () => {
    const bytes = makeFile(PART * 5, 'big.bin')
    const handle = await privateFile('big.bin', bytes)
    await interrupt(handle, ENDPOINT, PART)
    await serverSettled()
    const before = (await partRequests()).length
    const url = vi.fn(getUrl)
    const onSuccess = vi.fn<(media: Media) => void>()
    const { container } = render(
      <StrictMode>
        <Upload {...props({ url, onSuccess })} />
      </StrictMode>,
    )
    const row = await rowOf('big.bin')
    expect(row.textContent).toContain('big.bin')
    expect(row.textContent).toContain('stopped at 40 %')
    expect(within(await list()).getAllByRole('listitem')).toHaveLength(1)
    await waitFor(() =>
      expect(live().textContent).toContain('1 interrupted upload can be continued'),
    )
    expect(await violations(container)).toEqual([])

    // Above the drop zone: the first Tab stop is its Continue.
    await userEvent.tab()
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Continue big.bin')
    await userEvent.keyboard('{Enter}')
    const item = (await screen.findByText('big.bin', { selector: '.partwise__name' })).closest(
      'li',
    ) as HTMLElement
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 15_000 })
    expect(screen.queryByRole('list', { name: 'Interrupted uploads' })).toBeNull()
    expect(url).not.toHaveBeenCalled()
    const sent = (await partRequests()).slice(before).map((r) => r.index)
    expect(sent.sort()).toEqual([2, 3, 4])
    const media = onSuccess.mock.calls[0]?.[0] as Media
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(bytes))
    await waitFor(() => expect(live().textContent).toContain('big.bin: Uploaded'))
    expect(await findInterruptedUploads({ endpoint: ENDPOINT })).toEqual([])
  })

  it('Discard, by keyboard, forgets it and says so', async () => {
    await interrupt(makeFile(PART * 5, 'gone.bin'), ENDPOINT, PART)
    const { container } = render(<Upload {...props()} />)
    const row = await rowOf('gone.bin')
    expect(row.textContent).toContain('Pick gone.bin again to continue')
    expect(within(row).queryByRole('button', { name: 'Continue gone.bin' })).toBeNull()
    expect(await violations(container)).toEqual([])
    within(row).getByRole('button', { name: 'Discard gone.bin' }).focus()
    await userEvent.keyboard('{Enter}')
    await waitFor(() =>
      expect(screen.queryByRole('list', { name: 'Interrupted uploads' })).toBeNull(),
    )
    await waitFor(() => expect(live().textContent).toContain('gone.bin: Discarded'))
    // Focus is not lost with the row: back on the picker.
    expect(document.activeElement).toBe(input())
    await waitFor(async () =>
      expect(await findInterruptedUploads({ endpoint: ENDPOINT })).toEqual([]),
    )
    expect(Object.keys(localStorage).filter((k) => k.startsWith('partwise:'))).toEqual([])
  })

  it('continues a "pick" upload when the same file is picked again, and refuses another', async () => {
    const file = makeFile(PART * 5, 'clip.bin')
    await interrupt(file, ENDPOINT, PART)
    await serverSettled()
    const before = (await partRequests()).length
    render(<Upload {...props()} multiple />)
    const row = await rowOf('clip.bin')
    // Same name, other bytes and date: not the file that was interrupted.
    await userEvent.upload(input(), new File([file.slice(1)], 'clip.bin'))
    await waitFor(() => expect(row.textContent).toContain('That is not the same clip.bin'))
    expect(within(row).getByRole('button', { name: 'Start over clip.bin' })).toBeTruthy()
    expect(screen.queryByText('clip.bin', { selector: '.partwise__name' })).toBeNull()

    // Dropped: the same File object keeps its date (a file set on the input through the test
    // driver gets a new one, as no file the user picks again would).
    const data = new DataTransfer()
    data.items.add(file)
    const root = document.querySelector('.partwise') as HTMLElement
    for (const type of ['dragenter', 'dragover', 'drop']) {
      root.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      )
    }
    const item = (await screen.findByText('clip.bin', { selector: '.partwise__name' })).closest(
      'li',
    ) as HTMLElement
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 15_000 })
    const sent = (await partRequests()).slice(before).map((r) => r.index)
    expect(sent.sort()).toEqual([2, 3, 4])
  })

  it('never lists a file picked while the list was being found: the queue continues it alone', async () => {
    const file = makeFile(PART * 5, 'early.bin')
    await interrupt(file, ENDPOINT, PART)
    await interrupt(makeFile(PART * 3, 'other.bin'), ENDPOINT, PART, 1)
    await serverSettled()
    const before = (await partRequests()).length
    // The finding reads both records, then waits: the file is picked and uploaded meanwhile.
    const kept = await holdKeptStore()
    try {
      render(<Upload {...props()} />)
      await kept.asked
      const data = new DataTransfer()
      data.items.add(file)
      input().files = data.files
      input().dispatchEvent(new Event('change', { bubbles: true }))
      const item = (await screen.findByText('early.bin', { selector: '.partwise__name' })).closest(
        'li',
      ) as HTMLElement
      await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 15_000 })
    } finally {
      await kept.release()
    }
    const sent = (await partRequests()).slice(before).map((r) => r.index)
    expect(sent.sort()).toEqual([2, 3, 4])
    // The finding answers with both records as they were: only the other one is listed.
    const row = await rowOf('other.bin')
    expect(within(await list()).getAllByRole('listitem')).toEqual([row])
    expect(screen.getAllByText('early.bin')).toHaveLength(1)
  })

  it('opens showOpenFilePicker from the browse button and hands its file handle to the core', async () => {
    const handle = await privateFile('picked.bin', makeFile(PART * 5, 'picked.bin'))
    const picker = vi.fn(async (_options: unknown) => [handle])
    Object.assign(window, { showOpenFilePicker: picker })
    try {
      await setFaults([
        { method: 'PUT', path: '/store/resumable', status: 400, afterParts: 2, times: 1 },
      ])
      render(<Upload {...props()} accept=".bin,application/octet-stream" />)
      // A real click on the zone (Playwright's, so the page has the user's activation, without
      // which neither picker may open and the click keeps its default).
      await userEvent.click(document.querySelector('.partwise__zone') as HTMLElement)
      await waitFor(() => expect(picker).toHaveBeenCalledTimes(1))
      expect(picker).toHaveBeenCalledWith({
        multiple: false,
        types: [{ accept: { 'application/octet-stream': [], 'application/x-partwise': ['.bin'] } }],
      })
      const item = (await screen.findByText('picked.bin', { selector: '.partwise__name' })).closest(
        'li',
      ) as HTMLElement
      await waitFor(() => expect(item.dataset.status).toBe('error'), { timeout: 15_000 })
      // The core kept the handle: the upload can continue without a new pick.
      const [found] = await findInterruptedUploads({ endpoint: ENDPOINT })
      expect(found?.source).toBe('handle')
    } finally {
      Reflect.deleteProperty(window, 'showOpenFilePicker')
    }
  })

  it('lists only its own endpoint, and nothing with showInterrupted={false}', async () => {
    await interrupt(makeFile(PART * 3, 'mine.bin'), ENDPOINT, PART, 1)
    await interrupt(makeFile(PART * 3, 'theirs.bin'), 'another-endpoint', PART, 1)
    const { unmount } = render(<Upload {...props()} />)
    await rowOf('mine.bin')
    expect(screen.queryByText('theirs.bin')).toBeNull()
    unmount()
    render(<Upload {...props({ showInterrupted: false })} />)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(screen.queryByText('mine.bin')).toBeNull()
  })
})
