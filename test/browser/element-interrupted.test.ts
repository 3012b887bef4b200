import axe from 'axe-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import { findInterruptedUploads } from '../../src/core/index.ts'
import { makeFile, sha256Hex } from '../support/bytes.ts'
import { events, inputOf, mount, PART, shadowOf, statusOf, transfer } from '../support/element.ts'
import { forgetAll, holdKeptStore, interrupt, privateFile } from '../support/interrupted.ts'
import {
  partRequests,
  resetServer,
  serverSettled,
  setFaults,
  storedMedia,
} from '../support/server.ts'

/** `<partwise-upload>` shows the same list of interrupted uploads as `<Upload />` (#16). */
const ENDPOINT = 'element-interrupted'
const rowOf = (element: HTMLElement, name: string) =>
  vi.waitFor(
    () => {
      const rows = [
        ...shadowOf(element as never).querySelectorAll<HTMLElement>('li[part~=interrupted]'),
      ]
      const row = rows.find((li) => li.querySelector('[part~=stopped]')?.textContent === name)
      if (!row) throw new Error(`no interrupted row for ${name}`)
      return row
    },
    { timeout: 10_000 },
  )
const liveOf = (element: HTMLElement) =>
  shadowOf(element as never).querySelector('[role=status]') as HTMLElement

beforeEach(async () => {
  await resetServer()
  await forgetAll()
})
afterEach(async () => {
  for (const element of document.querySelectorAll('partwise-upload')) element.remove()
  await forgetAll()
})

describe('<partwise-upload> lists interrupted uploads', () => {
  it('with the same words; Continue by keyboard finishes it from the missing parts', async () => {
    const bytes = makeFile(PART * 5, 'big.bin')
    await interrupt(await privateFile('big.bin', bytes), ENDPOINT, PART)
    await serverSettled()
    const before = (await partRequests()).length
    const element = mount({ endpoint: ENDPOINT, concurrency: '1' }, { options: {} })
    const successes = events<{ id: string }>(element, 'upload-success')
    const row = await rowOf(element, 'big.bin')
    expect(row.textContent).toContain('stopped at 40 %')
    const list = row.closest('ul') as HTMLElement
    expect(list.getAttribute('aria-label')).toBe('Interrupted uploads')
    await vi.waitFor(() =>
      expect(liveOf(element).textContent).toContain('1 interrupted upload can be continued'),
    )
    const results = await axe.run(element, { rules: { region: { enabled: false } } })
    expect(results.violations.map((v) => v.id)).toEqual([])

    const button = row.querySelector<HTMLButtonElement>('button[aria-label="Continue big.bin"]')
    button?.focus()
    await userEvent.keyboard('{Enter}')
    await statusOf(element, 'big.bin', 'success')
    expect(row.isConnected).toBe(false)
    expect(list.hidden).toBe(true)
    const sent = (await partRequests()).slice(before).map((r) => r.index)
    expect(sent.sort()).toEqual([2, 3, 4])
    await vi.waitFor(() => expect(successes).toHaveLength(1))
    expect((await storedMedia(successes[0]?.id as string)).sha256).toBe(await sha256Hex(bytes))
    expect(await findInterruptedUploads({ endpoint: ENDPOINT })).toEqual([])
  })

  it('never lists a file picked while the list was being found, even once its upload failed', async () => {
    const file = makeFile(PART * 5, 'early.bin')
    await interrupt(file, ENDPOINT, PART)
    await interrupt(makeFile(PART * 3, 'other.bin'), ENDPOINT, PART, 1)
    await serverSettled()
    // The finding reads both records, then waits: the file is picked meanwhile, and its upload
    // is refused for good after one more part, which keeps its record and lets go of its lock.
    const kept = await holdKeptStore()
    const element = mount({ endpoint: ENDPOINT, concurrency: '1' }, { options: {} })
    try {
      await kept.asked
      await setFaults([
        { method: 'PUT', path: '/store/resumable', status: 400, afterParts: 3, times: 1 },
      ])
      const input = inputOf(element)
      input.files = transfer(file).files
      input.dispatchEvent(new Event('change', { bubbles: true }))
      await statusOf(element, 'early.bin', 'error')
    } finally {
      await kept.release()
      await setFaults([])
    }
    // Its row in the queue offers Retry; the list shows only the other upload.
    const row = await rowOf(element, 'other.bin')
    expect([...(row.closest('ul')?.querySelectorAll('li[part~=interrupted]') ?? [])]).toEqual([row])
    expect(
      (await findInterruptedUploads({ endpoint: ENDPOINT })).map((u) => u.name).sort(),
    ).toEqual(['early.bin', 'other.bin'])
  })

  it('Discard forgets it; hide-interrupted lists nothing', async () => {
    await interrupt(makeFile(PART * 3, 'gone.bin'), ENDPOINT, PART, 1)
    const hidden = mount({ endpoint: ENDPOINT, 'hide-interrupted': '' }, { options: {} })
    const element = mount({ endpoint: ENDPOINT }, { options: {} })
    const row = await rowOf(element, 'gone.bin')
    expect(row.textContent).toContain('Pick gone.bin again to continue')
    expect(shadowOf(hidden).querySelector('li[part~=interrupted]')).toBeNull()
    row.querySelector<HTMLButtonElement>('button[aria-label="Discard gone.bin"]')?.click()
    await vi.waitFor(() => expect(liveOf(element).textContent).toContain('gone.bin: Discarded'))
    expect(row.isConnected).toBe(false)
    await vi.waitFor(async () =>
      expect(await findInterruptedUploads({ endpoint: ENDPOINT })).toEqual([]),
    )
  })
})
