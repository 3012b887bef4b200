import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { Media } from '../../src/core/index.ts'
import { Upload, type UploadProps } from '../../src/react/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  createSession,
  partRequests,
  resetServer,
  serverStats,
  setFaults,
  storedMedia,
} from '../support/server.ts'

const PART = 64 * 1024
/**
 * Parts held 1 s: twenty of them keep an upload going for 20 s, longer than a loaded machine
 * takes to press through Pause, Resume and Cancel (held 300 ms, 6 s, a close call at a load
 * average of 20). The test cancels, so the hold costs nothing.
 */
const SLOW_PARTS = [{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }]

const getUrl = async () => (await createSession()).url
const props = (extra: Partial<UploadProps> = {}): UploadProps => ({
  url: getUrl,
  chunkSize: PART,
  resume: false,
  ...extra,
})
const root = () => document.querySelector('[data-status]') as HTMLElement
const input = () => document.querySelector('input[type=file]') as HTMLInputElement
const itemOf = async (name: string) =>
  (await screen.findByText(name, { selector: '.partwise__name' })).closest('li') as HTMLElement
const transfer = (...files: File[]) => {
  const data = new DataTransfer()
  for (const file of files) data.items.add(file)
  return data
}
const drag = (type: string, target: Element, data: DataTransfer) =>
  target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }))

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  cleanup()
})

describe('<Upload /> in Chromium, against the reference server', () => {
  it('uploads a picked file byte for byte', async () => {
    const onSuccess = vi.fn<(media: Media, file: Blob) => void>()
    render(<Upload {...props({ onSuccess })} />)
    const file = makeFile(PART * 4 + 17, 'picked.bin')
    await userEvent.upload(input(), file)
    const item = await itemOf('picked.bin')
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
    const media = onSuccess.mock.calls[0]?.[0] as Media
    const stored = await storedMedia(media.id)
    expect(stored.sha256).toBe(await sha256Hex(file))
    expect(stored.filesize).toBe(file.size)
    expect(within(item).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
  })

  it('under StrictMode, opens one session and sends each part once', async () => {
    const url = vi.fn(getUrl)
    render(
      <StrictMode>
        <Upload {...props({ url })} />
      </StrictMode>,
    )
    await userEvent.upload(input(), makeFile(PART * 3 + 1, 'strict.bin'))
    const item = await itemOf('strict.bin')
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
    expect(url).toHaveBeenCalledTimes(1)
    const indexes = (await partRequests()).map((r) => r.index)
    expect(indexes.sort()).toEqual([0, 1, 2, 3])
    expect((await serverStats()).completions).toBe(1)
  })

  it('Retry continues a failed file from its acknowledged parts', async () => {
    await setFaults([
      { method: 'PUT', path: '/store/resumable', status: 400, afterParts: 2, times: 1 },
    ])
    const onSuccess = vi.fn<(media: Media, file: Blob) => void>()
    render(<Upload {...props({ concurrency: 1, onSuccess })} />)
    const file = makeFile(PART * 5, 'again.bin')
    await userEvent.upload(input(), file)
    const item = await itemOf('again.bin')
    await waitFor(() => expect(item.dataset.status).toBe('error'), { timeout: 10_000 })
    await userEvent.click(screen.getByRole('button', { name: 'Retry again.bin' }))
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
    const sent = (await partRequests()).map((r) => `${r.index}:${r.status}`)
    expect(sent).toEqual(['0:200', '1:200', '2:400', '2:200', '3:200', '4:200'])
    const media = onSuccess.mock.calls[0]?.[0] as Media
    expect((await storedMedia(media.id)).sha256).toBe(await sha256Hex(file))
  })

  it('takes files by drag and drop, with the drag states on the root', async () => {
    render(<Upload {...props()} multiple accept=".bin,image/*" />)
    const data = transfer(makeFile(1000, 'a.bin'), makeFile(2000, 'b.bin'))
    drag('dragenter', root(), data)
    await waitFor(() => expect(root().dataset.dragging).toBe(''))
    expect(root().dataset.dragReject).toBeUndefined()
    drag('dragover', root(), data)
    drag('drop', root(), data)
    await waitFor(() => expect(root().dataset.dragging).toBeUndefined())
    for (const name of ['a.bin', 'b.bin']) {
      const item = await itemOf(name)
      await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
    }
  })

  it('shows a drag of a refused type as such', async () => {
    render(<Upload {...props()} accept="image/*" />)
    drag('dragenter', root(), transfer(new File(['x'], 'doc.pdf', { type: 'application/pdf' })))
    await waitFor(() => expect(root().dataset.dragReject).toBe(''))
    expect(screen.getByText('Some of these files cannot be uploaded here')).toBeTruthy()
  })

  it('takes a pasted file', async () => {
    render(<Upload {...props()} />)
    input().focus()
    const event = new ClipboardEvent('paste', {
      clipboardData: transfer(makeFile(3000, 'pasted.bin')),
      bubbles: true,
      cancelable: true,
    })
    input().dispatchEvent(event)
    expect(event.defaultPrevented).toBe(true)
    const item = await itemOf('pasted.bin')
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
  })

  it('takes files pasted anywhere in the page with pasteAnywhere, never from a text field', async () => {
    const paste = (target: Element, file: File) => {
      const event = new ClipboardEvent('paste', {
        clipboardData: transfer(file),
        bubbles: true,
        cancelable: true,
      })
      target.dispatchEvent(event)
      return event.defaultPrevented
    }
    const { rerender } = render(
      <>
        <input type="text" aria-label="chat" />
        <Upload {...props()} multiple />
      </>,
    )
    expect(paste(document.body, makeFile(100, 'ignored.bin'))).toBe(false) // off by default
    rerender(
      <>
        <input type="text" aria-label="chat" />
        <Upload {...props()} multiple pasteAnywhere />
      </>,
    )
    expect(paste(screen.getByLabelText('chat'), makeFile(100, 'into-text.bin'))).toBe(false)
    expect(paste(document.body, makeFile(3000, 'page.bin'))).toBe(true)
    const item = await itemOf('page.bin')
    await waitFor(() => expect(item.dataset.status).toBe('success'), { timeout: 10_000 })
    // A paste inside the zone is taken once, by the zone, not a second time by the page.
    paste(input(), makeFile(200, 'zone.bin'))
    await itemOf('zone.bin')
    expect(
      screen.getAllByText(/\.bin$/, { selector: '.partwise__name' }).map((e) => e.textContent),
    ).toEqual(['page.bin', 'zone.bin'])
  })

  it('puts the nonce on its stylesheet, for a CSP that allows styles by nonce', () => {
    for (const old of document.querySelectorAll('style[data-partwise]')) old.remove()
    render(<Upload {...props()} nonce="n0nce" />)
    const style = document.querySelector('style[data-partwise]') as HTMLStyleElement
    expect(style.nonce).toBe('n0nce')
    expect(getComputedStyle(root()).display).toBe('grid') // the rules apply
  })

  it('opens the picker with Enter or Space on the focused input', async () => {
    render(<Upload {...props()} />)
    const clicks = vi.fn((event: Event) => event.preventDefault()) // no real dialog in the test
    input().addEventListener('click', clicks)
    await userEvent.tab()
    expect(document.activeElement).toBe(input())
    await userEvent.keyboard('{Enter}')
    expect(clicks).toHaveBeenCalledTimes(1)
    await userEvent.keyboard(' ')
    expect(clicks).toHaveBeenCalledTimes(2)
  })

  it('is driven by keyboard alone: Tab reaches Pause and Cancel, Enter presses them', async () => {
    await setFaults(SLOW_PARTS)
    render(<Upload {...props({ concurrency: 1 })} />)
    await userEvent.upload(input(), makeFile(PART * 20, 'keys.bin'))
    const item = await itemOf('keys.bin')
    await waitFor(() => expect(item.dataset.status).toBe('uploading'))
    input().focus()
    await userEvent.tab()
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Pause keys.bin')
    await userEvent.keyboard('{Enter}')
    await waitFor(() => expect(item.dataset.status).toBe('paused'))
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Resume keys.bin')
    await userEvent.keyboard(' ')
    await waitFor(() => expect(item.dataset.status).not.toBe('paused'))
    await userEvent.tab()
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Cancel keys.bin')
    await userEvent.keyboard('{Enter}')
    await waitFor(() => expect(item.dataset.status).toBe('cancelled'))
    // Cancel became Remove from list in place; removing sends focus back to the picker.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove from list keys.bin')
    await userEvent.keyboard('{Enter}')
    await waitFor(() => expect(document.activeElement).toBe(input()))
    expect(screen.queryByText('keys.bin', { selector: '.partwise__name' })).toBeNull()
  })
})
