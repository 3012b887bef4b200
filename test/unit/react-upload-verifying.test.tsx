// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryStore } from '../../src/core/resume-store.ts'
import { Upload } from '../../src/react/index.ts'
import { barValues } from '../../src/ui/file-view.ts'
import { defaultUploadMessages } from '../../src/ui/ui-messages.ts'
import { bytes, fakeServer } from './react-fake-server.ts'

afterEach(() => {
  cleanup()
  document.head.querySelector('style[data-partwise]')?.remove()
})

const m = defaultUploadMessages

describe('the progress bar of a resumed file (#13 item 14): never 0 % and then a jump', () => {
  it('counts the bytes a record lists while verifying, as the same share once confirmed', () => {
    const verifying = { progress: 0, bytesUploaded: 0, bytesRecorded: 400, bytesTotal: 1000 }
    const confirmed = { progress: 0.4, bytesUploaded: 400, bytesRecorded: 0, bytesTotal: 1000 }
    expect(barValues(verifying, m)).toEqual(barValues(confirmed, m))
    expect(barValues(verifying, m)).toMatchObject({ fraction: 0.4, percent: 40 })
    // Nothing recorded: the snapshot's own progress, which a 0-byte file sets on success.
    expect(barValues({ ...confirmed, bytesTotal: 0, progress: 1 }, m).percent).toBe(100)
  })

  it('shows the recorded parts in <Upload /> while it checks them, then goes on from there', async () => {
    const file = bytes(40, 'big.bin')
    const store = memoryStore()
    // A record of parts 0 to 4 (20 of 40 bytes) at a stored URL, as a reload leaves it.
    const key = JSON.stringify([file.name, file.size, file.type, file.lastModified, 'http://x/u'])
    const parts = { 0: 'e0', 1: 'e1', 2: 'e2', 3: 'e3', 4: 'e4' }
    store.set(key, { url: 'http://x/stored', chunkSize: 4, parts, expires: 9e15 })
    const server = fakeServer({ hold: true })
    const { container } = render(
      <Upload
        url={async () => 'http://x/own'}
        endpoint="http://x/u"
        transport={server.transport}
        resume={store}
        chunkSize={4}
        concurrency={1}
      />,
    )
    const input = container.querySelector('input[type=file]') as HTMLInputElement
    await userEvent.upload(input, file)
    await screen.findByText(m.status('verifying'))
    const bar = () => screen.getByRole('progressbar', { name: m.progressLabel('big.bin') })
    expect(bar().getAttribute('aria-valuenow')).toBe('50')
    // The stored URL answers part 5: the record's parts are confirmed, and one more part.
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(server.pending[0]?.request.url).toBe('http://x/stored')
    server.next().release()
    await waitFor(() => expect(bar().getAttribute('aria-valuenow')).toBe('60'))
    expect(screen.queryByText(m.status('verifying'))).toBeNull()
  })
})
