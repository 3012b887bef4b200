import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { Media, UploadError, UploadSnapshot } from '../../src/core/index.ts'
import type { QueueItem, QueueState } from '../../src/element/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import {
  buttonOf,
  drag,
  events,
  inputOf,
  itemOf,
  mount,
  PART,
  rootOf,
  shadowOf,
  statusOf,
  transfer,
} from '../support/element.ts'
import {
  createSession,
  partRequests,
  resetServer,
  serverStats,
  setFaults,
  storedMedia,
} from '../support/server.ts'

/** Parts held 1 s: a 20-part file stays on the wire longer than a loaded machine takes to act. */
const SLOW_PARTS = [{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }]

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  document.body.replaceChildren()
  vi.restoreAllMocks()
})

describe('<partwise-upload> in Chromium, against the reference server', () => {
  it('uploads a picked file byte for byte, with its events bubbling out of the shadow root', async () => {
    const element = mount()
    const success = events<Media>(document, 'upload-success')
    const starts = events<QueueItem>(document, 'upload-start')
    const progress = events<UploadSnapshot>(document, 'upload-progress')
    const changes = events<QueueState>(document, 'queue-change')
    const file = makeFile(PART * 4 + 17, 'picked.bin')
    await userEvent.upload(inputOf(element), file)
    const row = await statusOf(element, 'picked.bin', 'success')
    await vi.waitFor(() => expect(success).toHaveLength(1))
    const media = success[0] as Media
    const stored = await storedMedia(media.id)
    expect(stored.sha256).toBe(await sha256Hex(file))
    expect(stored.filesize).toBe(file.size)
    expect(starts.map((item) => item.name)).toEqual(['picked.bin'])
    expect(progress.at(-1)?.bytesUploaded).toBe(file.size)
    expect(changes.at(-1)?.status).toBe('success')
    expect(row.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).toBe('100')
    expect(element.value).toEqual([media.id])
  })

  it('asks the session route named by `session` for each file, with its name, size and type', async () => {
    const real = window.fetch.bind(window)
    const bodies: unknown[] = []
    vi.spyOn(window, 'fetch').mockImplementation(async (input, init) => {
      if (String(input) !== '/api/upload-session') return real(input, init)
      bodies.push(JSON.parse(String(init?.body)))
      return Response.json(await createSession())
    })
    const element = mount({ session: '/api/upload-session' })
    element.url = undefined // the attribute's route, not the test's own function
    await userEvent.upload(inputOf(element), new File(['hello'], 'hi.txt', { type: 'text/plain' }))
    await statusOf(element, 'hi.txt', 'success')
    expect(bodies).toEqual([{ filename: 'hi.txt', size: 5, type: 'text/plain' }])
  })

  it('takes files by drag and drop, with the drag states on its root', async () => {
    const element = mount({ multiple: '', accept: '.bin,image/*' })
    const data = transfer(makeFile(1000, 'a.bin'), makeFile(2000, 'b.bin'))
    drag('dragenter', element, data)
    expect(rootOf(element).dataset.dragging).toBe('')
    expect(rootOf(element).dataset.dragReject).toBeUndefined()
    expect(shadowOf(element).textContent).toContain('Drop to upload')
    drag('dragover', element, data)
    expect(drag('drop', rootOf(element), data)).toBe(false) // taken: the browser opens nothing
    expect(rootOf(element).dataset.dragging).toBeUndefined()
    for (const name of ['a.bin', 'b.bin']) await statusOf(element, name, 'success')
  })

  it('shows a drag of a refused type as such', () => {
    const element = mount({ accept: 'image/*' })
    drag('dragenter', element, transfer(new File(['x'], 'doc.pdf', { type: 'application/pdf' })))
    expect(rootOf(element).dataset.dragReject).toBe('')
    expect(shadowOf(element).textContent).toContain('Some of these files cannot be uploaded here')
  })

  it('takes a pasted file, and with paste-anywhere one pasted in the page, never from a text field', async () => {
    const element = mount({ multiple: '' })
    const paste = (target: Element, file: File) => {
      const event = new ClipboardEvent('paste', {
        clipboardData: transfer(file),
        bubbles: true,
        cancelable: true,
        composed: true,
      })
      target.dispatchEvent(event)
      return event.defaultPrevented
    }
    expect(paste(inputOf(element), makeFile(3000, 'pasted.bin'))).toBe(true)
    await statusOf(element, 'pasted.bin', 'success')
    const text = document.createElement('input')
    document.body.append(text)
    expect(paste(document.body, makeFile(100, 'ignored.bin'))).toBe(false) // off by default
    element.setAttribute('paste-anywhere', '')
    expect(paste(text, makeFile(100, 'into-text.bin'))).toBe(false)
    expect(paste(document.body, makeFile(2000, 'page.bin'))).toBe(true)
    await statusOf(element, 'page.bin', 'success')
    const names = [...shadowOf(element).querySelectorAll('[part~=name]')].map((n) => n.textContent)
    expect(names).toEqual(['pasted.bin', 'page.bin'])
  })

  it('is driven by keyboard alone: the picker is the first Tab stop, then Pause, Resume, Cancel, Remove', async () => {
    await setFaults(SLOW_PARTS)
    const before = document.createElement('button')
    before.textContent = 'before'
    document.body.append(before)
    const element = mount({ concurrency: '1' })
    const focused = () => shadowOf(element).activeElement
    const clicks = vi.fn((event: Event) => event.preventDefault()) // no real dialog in the test
    inputOf(element).addEventListener('click', clicks)
    before.focus()
    await userEvent.tab()
    expect(focused()).toBe(inputOf(element))
    await userEvent.keyboard('{Enter}')
    expect(clicks).toHaveBeenCalledTimes(1)
    await userEvent.keyboard(' ')
    expect(clicks).toHaveBeenCalledTimes(2)

    await userEvent.upload(inputOf(element), makeFile(PART * 20, 'keys.bin'))
    const row = await statusOf(element, 'keys.bin', 'uploading')
    inputOf(element).focus()
    await userEvent.tab()
    expect(focused()?.getAttribute('aria-label')).toBe('Pause keys.bin')
    await userEvent.keyboard('{Enter}')
    await statusOf(element, 'keys.bin', 'paused')
    expect(focused()?.getAttribute('aria-label')).toBe('Resume keys.bin')
    await userEvent.keyboard(' ')
    await vi.waitFor(() => expect(row.dataset.status).not.toBe('paused'))
    await userEvent.tab()
    expect(focused()?.getAttribute('aria-label')).toBe('Cancel keys.bin')
    await userEvent.keyboard('{Enter}')
    await statusOf(element, 'keys.bin', 'cancelled')
    // Cancel became Remove from list in place; removing sends focus back to the picker.
    expect(focused()?.getAttribute('aria-label')).toBe('Remove from list keys.bin')
    await userEvent.keyboard('{Enter}')
    await vi.waitFor(() => expect(focused()).toBe(inputOf(element)))
    expect(shadowOf(element).querySelector('li[part~=item]')).toBeNull()
  })

  it('pauses and resumes a file by its buttons, and it completes byte for byte', async () => {
    await setFaults(SLOW_PARTS)
    const element = mount({ concurrency: '2' })
    const success = events<Media>(element, 'upload-success')
    const file = makeFile(PART * 8, 'paused.bin')
    await userEvent.upload(inputOf(element), file)
    await statusOf(element, 'paused.bin', 'uploading')
    await userEvent.click(buttonOf(element, 'Pause paused.bin'))
    const row = await statusOf(element, 'paused.bin', 'paused')
    expect(row.textContent).toContain('Paused')
    await setFaults([])
    await userEvent.click(buttonOf(element, 'Resume paused.bin'))
    await statusOf(element, 'paused.bin', 'success')
    await vi.waitFor(() => expect(success).toHaveLength(1))
    expect((await storedMedia((success[0] as Media).id)).sha256).toBe(await sha256Hex(file))
  })

  it('Retry continues a failed file from its acknowledged parts', async () => {
    await setFaults([
      { method: 'PUT', path: '/store/resumable', status: 400, afterParts: 2, times: 1 },
    ])
    const element = mount({ concurrency: '1' })
    const errors = events<UploadError>(element, 'upload-error')
    await userEvent.upload(inputOf(element), makeFile(PART * 5, 'again.bin'))
    await statusOf(element, 'again.bin', 'error')
    await vi.waitFor(() => expect(errors).toHaveLength(1))
    await userEvent.click(buttonOf(element, 'Retry again.bin'))
    await statusOf(element, 'again.bin', 'success')
    const sent = (await partRequests()).map((r) => `${r.index}:${r.status}`)
    expect(sent).toEqual(['0:200', '1:200', '2:400', '2:200', '3:200', '4:200'])
  })

  it('refuses a file by its conditions in words, fires upload-error with conditions_failed, and sends nothing', async () => {
    const element = mount({
      multiple: '',
      conditions: JSON.stringify([{ prop: 'filesize', operator: '<=', value: 5000 }]),
    })
    const errors = events<UploadError>(document, 'upload-error')
    await userEvent.upload(inputOf(element), makeFile(9000, 'large.bin'))
    const row = await statusOf(element, 'large.bin', 'error')
    expect(row.querySelector('ul[part~=errors]')?.textContent).toBe(
      'The file is 9 KB; the limit is 5 KB',
    )
    expect(row.querySelector('[part~=status]')?.textContent).toBe('Refused')
    await vi.waitFor(() => expect(errors.map((e) => e.code)).toEqual(['conditions_failed']))
    expect(row.querySelector('[role=progressbar]')?.hasAttribute('hidden')).toBe(true)
    expect(buttonOf(element, 'Remove from list large.bin')).toBeTruthy()
    // Nothing arrived since the reset: requests are listed as they arrive. (Bytes are no proof
    // here: an aborted slow part of the pause test above can still be draining into the
    // server's counter after the reset.)
    expect((await serverStats()).requests).toEqual([])
  })

  it('refuses every file with invalid_conditions when the conditions attribute is not JSON, and sends nothing', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const element = mount({ conditions: '[{"prop": "filesize", ' })
    const errors = events<UploadError>(document, 'upload-error')
    await userEvent.upload(inputOf(element), makeFile(9000, 'typo.bin'))
    await statusOf(element, 'typo.bin', 'error')
    await vi.waitFor(() => expect(errors.map((e) => e.code)).toEqual(['invalid_conditions']))
    expect(errors[0]?.message).toContain('[{"prop": "filesize", ')
    // Nothing arrived since the reset: requests are listed as they arrive. (Bytes are no proof
    // here: an aborted slow part of the pause test above can still be draining into the
    // server's counter after the reset.)
    expect((await serverStats()).requests).toEqual([])
  })

  it('holds several files to max-files, runs parallel-files at once, and says which it refused', async () => {
    await setFaults(SLOW_PARTS)
    const element = mount({ multiple: '', 'max-files': '4', 'parallel-files': '2', accept: '.bin' })
    await userEvent.upload(
      inputOf(element),
      [1, 2, 3, 4, 5].map((n) => makeFile(PART * 2, `f${n}.bin`)),
    )
    await statusOf(element, 'f3.bin', 'queued')
    await statusOf(element, 'f1.bin', 'uploading')
    const refused = shadowOf(element).querySelector('[part~=refused]') as HTMLElement
    expect(refused.textContent).toBe('f5.bin: too many files (at most 4)')
    expect(shadowOf(element).querySelector('[part~=total]')?.hasAttribute('hidden')).toBe(false)
    expect(shadowOf(element).querySelector('[role=status]')?.textContent).toContain('f5.bin')
    // A single-file element replaces its file instead.
    element.removeAttribute('multiple')
    await userEvent.upload(inputOf(element), makeFile(100, 'only.bin'))
    await itemOf(element, 'only.bin')
    expect(shadowOf(element).querySelectorAll('li[part~=item]')).toHaveLength(1)
  })
})
