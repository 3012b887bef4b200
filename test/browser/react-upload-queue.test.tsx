import '../support/testing-library.ts'
import { cleanup, render, screen, waitFor, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { Media } from '../../src/core/index.ts'
import { Upload, type UploadContext, type UploadProps } from '../../src/react/index.ts'
import { makeFile } from '../support/bytes.ts'
import { createSession, partRequests, resetServer, setFaults } from '../support/server.ts'

/**
 * The queue's own line in Chromium, against the reference server (#17): the overall bar beside
 * a refusal, its summary label, manual start, Retry all / Cancel all / Clear finished, and
 * `beforeUpload`.
 */
const PART = 64 * 1024
/** Parts held 1 s: long enough for a loaded machine to press Cancel all mid-upload. */
const SLOW_PARTS = [{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }]

const getUrl = async () => (await createSession()).url
const props = (extra: Partial<UploadProps> = {}): UploadProps => ({
  url: getUrl,
  chunkSize: PART,
  resume: false,
  multiple: true,
  ...extra,
})
const root = () => document.querySelector('[data-status]') as HTMLElement
const input = () => document.querySelector('input[type=file]') as HTMLInputElement
const itemOf = async (name: string) =>
  (await screen.findByText(name, { selector: '.partwise__name' })).closest('li') as HTMLElement
const statusOf = async (name: string) => (await itemOf(name)).dataset.status
const rowNames = () =>
  screen.queryAllByText(/\.bin$/, { selector: '.partwise__name' }).map((e) => e.textContent)
const LONG = { timeout: 15_000 }

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  cleanup()
})

describe('<Upload multiple>: the queue line, in Chromium against the reference server', () => {
  it('finishes the overall bar beside a refused file, labelled by the summary line', async () => {
    const conditions = [{ prop: 'filesize', operator: '<=', value: PART * 2 }] as const
    render(<Upload {...props({ conditions: [...conditions] })} />)
    await userEvent.upload(input(), [makeFile(PART * 3, 'big.bin'), makeFile(PART + 5, 'fits.bin')])
    await waitFor(async () => expect(await statusOf('fits.bin')).toBe('success'), LONG)
    expect(await statusOf('big.bin')).toBe('error')
    const bar = screen.getByRole('progressbar', { name: '1 of 1 uploaded' })
    expect(bar.getAttribute('aria-valuenow')).toBe('100')
    const label = document.getElementById(bar.getAttribute('aria-labelledby') ?? '')
    expect(label?.textContent).toBe('1 of 1 uploaded')
    expect(label?.checkVisibility()).toBe(true)
    expect(root().dataset.status).toBe('success')
  })

  it('with autoStart={false}, sends nothing until Upload is pressed; refusals show at once', async () => {
    const url = vi.fn(getUrl)
    const conditions = [{ prop: 'filesize', operator: '<=', value: PART * 2 }] as const
    render(<Upload {...props({ url, autoStart: false, conditions: [...conditions] })} />)
    await userEvent.upload(input(), [
      makeFile(PART + 1, 'one.bin'),
      makeFile(PART + 2, 'two.bin'),
      makeFile(PART * 3, 'big.bin'),
    ])
    await waitFor(async () => expect(await statusOf('big.bin')).toBe('error'))
    expect(await statusOf('one.bin')).toBe('queued')
    const start = screen.getByRole('button', { name: 'Upload 2 files' })
    await new Promise((done) => setTimeout(done, 300)) // time to send, were it to
    expect(url).not.toHaveBeenCalled()
    expect(await partRequests()).toHaveLength(0)
    expect(root().dataset.status).toBe('idle')
    start.focus()
    await userEvent.keyboard('{Enter}')
    for (const name of ['one.bin', 'two.bin']) {
      await waitFor(async () => expect(await statusOf(name)).toBe('success'), LONG)
    }
    expect(url).toHaveBeenCalledTimes(2)
    expect(screen.queryByRole('button', { name: /^Upload/ })).toBeNull()
    expect(document.activeElement).toBe(input()) // the pressed button is gone
  })

  it('Retry all puts every failed file back and uploads it', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', status: 400, times: 2 }])
    render(<Upload {...props({ concurrency: 1, parallelFiles: 1 })} />)
    await userEvent.upload(input(), [makeFile(PART * 2, 'a.bin'), makeFile(PART * 2, 'b.bin')])
    for (const name of ['a.bin', 'b.bin']) {
      await waitFor(async () => expect(await statusOf(name)).toBe('error'), LONG)
    }
    expect(screen.getByText('0 of 2 uploaded')).toBeTruthy()
    await userEvent.click(screen.getByRole('button', { name: 'Retry all' }))
    for (const name of ['a.bin', 'b.bin']) {
      await waitFor(async () => expect(await statusOf(name)).toBe('success'), LONG)
    }
    expect(screen.getByText('2 of 2 uploaded')).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Retry all' })).toBeNull()
  })

  it('Cancel all stops every file, running or waiting; Clear finished then empties the list', async () => {
    await setFaults(SLOW_PARTS)
    render(<Upload {...props({ concurrency: 1, parallelFiles: 1 })} />)
    await userEvent.upload(input(), [makeFile(PART * 20, 'a.bin'), makeFile(PART * 20, 'b.bin')])
    await waitFor(async () => expect(await statusOf('a.bin')).toBe('uploading'))
    await userEvent.click(screen.getByRole('button', { name: 'Cancel all' }))
    await waitFor(async () => expect(await statusOf('a.bin')).toBe('cancelled'))
    expect(await statusOf('b.bin')).toBe('cancelled')
    expect(screen.queryByRole('button', { name: 'Cancel all' })).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Clear finished' }))
    expect(rowNames()).toEqual([])
  })

  it('Clear finished removes the uploaded files and keeps a failed one', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', index: 0, status: 400, times: 1 }])
    render(<Upload {...props({ concurrency: 1, parallelFiles: 1 })} />)
    await userEvent.upload(input(), [makeFile(PART, 'failed.bin'), makeFile(PART, 'done.bin')])
    await waitFor(async () => expect(await statusOf('done.bin')).toBe('success'), LONG)
    expect(await statusOf('failed.bin')).toBe('error')
    await userEvent.click(screen.getByRole('button', { name: 'Clear finished' }))
    expect(rowNames()).toEqual(['failed.bin'])
  })
})

describe('beforeUpload, in Chromium against the reference server', () => {
  /** What an app's route does with the file's name and metadata. */
  const sessionOf = vi.fn(async (file: Blob, { metadata }: UploadContext) => {
    const { url } = await createSession({
      resumable: true,
      filename: (file as File).name,
      metadata,
    })
    return url
  })

  it('renames a file and gives it metadata: the server stores both', async () => {
    const onSuccess = vi.fn<(media: Media, file: Blob) => void>()
    render(
      <Upload
        {...props({
          url: sessionOf,
          onSuccess,
          beforeUpload: async (file) => ({
            name: `trip-${file.name}`,
            metadata: { album: 'Lisbon', order: 1 },
          }),
        })}
      />,
    )
    await userEvent.upload(input(), makeFile(PART + 9, 'photo.bin'))
    await waitFor(async () => expect(await statusOf('trip-photo.bin')).toBe('success'), LONG)
    expect(sessionOf).toHaveBeenLastCalledWith(expect.any(File), {
      metadata: { album: 'Lisbon', order: 1 },
    })
    const media = onSuccess.mock.calls[0]?.[0] as Media
    expect(media.metadata).toEqual({ album: 'Lisbon', order: 1 })
    expect(media.sources?.[0]?.filename).toBe('trip-photo.bin')
  })

  it('refuses a file with the reason shown on its row, and sends nothing for it', async () => {
    const url = vi.fn(getUrl)
    render(
      <Upload
        {...props({
          url,
          beforeUpload: (file) =>
            file.name.startsWith('tmp') ? { refuse: 'Temporary files are not kept' } : undefined,
        })}
      />,
    )
    await userEvent.upload(input(), [makeFile(PART, 'tmp-1.bin'), makeFile(PART, 'kept.bin')])
    await waitFor(async () => expect(await statusOf('kept.bin')).toBe('success'), LONG)
    const row = await itemOf('tmp-1.bin')
    expect(row.dataset.status).toBe('error')
    expect(within(row).getByText('Temporary files are not kept')).toBeTruthy()
    expect(within(row).queryByRole('button', { name: /^Retry/ })).toBeNull()
    expect(url).toHaveBeenCalledTimes(1)
    expect(screen.getByRole('progressbar', { name: '1 of 1 uploaded' })).toBeTruthy()
  })
})
