import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { PartwiseUpload } from '../../src/element/index.ts'
import { makeFile } from '../support/bytes.ts'
import {
  inputOf,
  mount,
  PART,
  rootOf,
  shadowOf,
  statusOf,
  testOptions,
} from '../support/element.ts'
import { createSession, partRequests, resetServer, setFaults } from '../support/server.ts'

/**
 * `<partwise-upload>`'s queue line (#17), over the same src/ui queue as `<Upload />`: the summary
 * that names the overall bar, the `manual` attribute and the bulk buttons, and the
 * `beforeUpload` property, with its metadata POSTed to the `session` route.
 */
beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  document.body.replaceChildren()
  vi.restoreAllMocks()
})

const queueButton = (element: PartwiseUpload, key: string) =>
  shadowOf(element).querySelector<HTMLButtonElement>(`[part~=queue] button[data-action=${key}]`)
const totalBar = (element: PartwiseUpload) =>
  shadowOf(element).querySelector('[part~=total]') as HTMLElement
const summary = (element: PartwiseUpload) =>
  shadowOf(element).querySelector('[part~=summary]') as HTMLElement

describe('<partwise-upload multiple>: the queue line, in Chromium against the reference server', () => {
  it('finishes the overall bar beside a refused file, named by the visible summary', async () => {
    const element = mount(
      { multiple: '' },
      { conditions: [{ prop: 'filesize', operator: '<=', value: PART * 2 }] },
    )
    await userEvent.upload(inputOf(element), [
      makeFile(PART * 3, 'big.bin'),
      makeFile(PART + 5, 'fits.bin'),
    ])
    await statusOf(element, 'fits.bin', 'success')
    await statusOf(element, 'big.bin', 'error')
    await vi.waitFor(() => expect(summary(element).textContent).toBe('1 of 1 uploaded'))
    const bar = totalBar(element)
    expect(bar.getAttribute('aria-valuenow')).toBe('100')
    expect(bar.getAttribute('aria-labelledby')).toBe(summary(element).id)
    expect(summary(element).checkVisibility()).toBe(true)
    expect(rootOf(element).dataset.status).toBe('success')
  })

  it('with `manual`, sends nothing until its Upload button is pressed', async () => {
    const url = vi.fn(async () => (await createSession()).url)
    const element = mount({ multiple: '', manual: '' }, { url })
    await userEvent.upload(inputOf(element), [makeFile(PART + 1, 'a.bin'), makeFile(PART, 'b.bin')])
    await statusOf(element, 'a.bin', 'queued')
    await new Promise((done) => setTimeout(done, 300)) // time to send, were it to
    expect(url).not.toHaveBeenCalled()
    expect(await partRequests()).toHaveLength(0)
    const start = queueButton(element, 'start')
    expect(start?.textContent).toBe('Upload 2 files')
    start?.focus()
    await userEvent.keyboard('{Enter}')
    await statusOf(element, 'a.bin', 'success')
    await statusOf(element, 'b.bin', 'success')
    expect(queueButton(element, 'start')?.isConnected ?? false).toBe(false)
  })

  it('Retry all, then Clear finished', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', status: 400, times: 2 }])
    const element = mount(
      { multiple: '', concurrency: '1', 'parallel-files': '1' },
      { options: testOptions() },
    )
    await userEvent.upload(inputOf(element), [makeFile(PART, 'a.bin'), makeFile(PART, 'b.bin')])
    await statusOf(element, 'a.bin', 'error')
    await statusOf(element, 'b.bin', 'error')
    await userEvent.click(queueButton(element, 'retry') as HTMLButtonElement)
    await statusOf(element, 'a.bin', 'success')
    await statusOf(element, 'b.bin', 'success')
    await userEvent.click(queueButton(element, 'clear') as HTMLButtonElement)
    await vi.waitFor(() => expect(element.state.items).toHaveLength(0))
  })

  it('takes a beforeUpload property: renames, and POSTs its metadata to the session route', async () => {
    const real = window.fetch.bind(window)
    const bodies: unknown[] = []
    vi.spyOn(window, 'fetch').mockImplementation(async (input, init) => {
      if (String(input) !== '/api/upload-session') return real(input, init)
      bodies.push(JSON.parse(String(init?.body)))
      return Response.json(await createSession())
    })
    const element = mount({ session: '/api/upload-session' })
    element.url = undefined // the attribute's route
    element.beforeUpload = (file) => ({ name: `x-${file.name}`, metadata: { album: 'Lisbon' } })
    await userEvent.upload(inputOf(element), new File(['hello'], 'hi.txt', { type: 'text/plain' }))
    await statusOf(element, 'x-hi.txt', 'success')
    expect(bodies).toEqual([
      { filename: 'x-hi.txt', size: 5, type: 'text/plain', metadata: { album: 'Lisbon' } },
    ])
  })
})
