import { cleanup } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { Conditions } from '../../src/core/index.ts'
import { buttonOf, PART, rowOf, statusOf, textOf, UIS } from '../support/both-uis.tsx'
import { makeFile } from '../support/bytes.ts'
import { resetServer, setFaults } from '../support/server.ts'

/** Parts held 1 s: a file stays on the wire while its row is read. */
const SLOW_PARTS = [{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }]

/** The rule (#17), at the sizes of a test: an image up to 4000 px wide, or 5 KB. */
const IMAGE_OR_SMALL: Conditions = {
  operator: '||',
  rules: [
    {
      operator: '&&',
      rules: [
        { prop: 'kind', operator: '==', value: 'image' },
        { prop: 'width', operator: '<=', value: 4000 },
      ],
    },
    { prop: 'filesize', operator: '<=', value: 5000 },
  ],
}

beforeEach(async () => {
  await resetServer()
})
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
})

describe.each(UIS)('%s rows', (_, mountUi) => {
  it('say the percentage and the bytes sent, and "Uploaded" only with a full bar', async () => {
    await setFaults(SLOW_PARTS)
    const ui = mountUi({ multiple: true })
    await userEvent.upload(ui.input, [makeFile(100, 'small.bin'), makeFile(PART * 6, 'movie.bin')])
    const movie = await statusOf(ui, 'movie.bin', 'uploading')
    await vi.waitFor(
      () =>
        expect(movie.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).not.toBe(
          '0',
        ),
      { timeout: 10_000 },
    )
    await userEvent.click(buttonOf(ui, 'Pause movie.bin'))
    await statusOf(ui, 'movie.bin', 'paused')
    const bar = movie.querySelector('[role=progressbar]') as HTMLElement
    const percent = bar.getAttribute('aria-valuenow')
    expect(textOf(movie, '.partwise__percent')).toBe(`${percent}%`)
    // 393,216 bytes: decimal units, the unit said once.
    expect(textOf(movie, '.partwise__amounts')).toMatch(/^\d+(\.\d+)? of 393 KB \d+%$/)
    expect(bar.getAttribute('aria-valuetext')).toMatch(/^\d+% \(\d+(\.\d+)? of 393 KB\)$/)
    expect(textOf(movie, '.partwise__size')).toBe('393 KB')

    const small = await statusOf(ui, 'small.bin', 'success')
    expect(textOf(small, '.partwise__status')).toBe('Uploaded')
    expect(textOf(small, '.partwise__amounts')).toBe('100 of 100 bytes 100%')
    const fill = small.querySelector('.partwise__fill') as HTMLElement
    expect(fill.style.width).toBe('100%')
    expect(getComputedStyle(fill).transitionDuration).toBe('0s')
    expect(buttonOf(ui, 'Remove from list small.bin').textContent).toBe('Remove from list')

    // Bars and sizes line up from row to row, whatever buttons each row has.
    const edges = (row: HTMLElement, selector: string) => {
      const box = (row.querySelector(selector) as HTMLElement).getBoundingClientRect()
      return [Math.round(box.left), Math.round(box.right)]
    }
    expect(edges(small, '.partwise__bar')).toEqual(edges(movie, '.partwise__bar'))
    expect(edges(small, '.partwise__size')[1]).toBe(edges(movie, '.partwise__size')[1])
    expect(edges(small, '.partwise__amounts')[1]).toBe(edges(movie, '.partwise__amounts')[1])
    expect(getComputedStyle(movie).fontVariantNumeric).toBe('tabular-nums')
  })

  it('say "Uploaded" at no moment the bar is not full', async () => {
    const ui = mountUi({})
    const seen: string[] = []
    const observer = new MutationObserver(() => {
      for (const row of ui.root.querySelectorAll<HTMLElement>('.partwise__item')) {
        if (textOf(row, '.partwise__status') !== 'Uploaded') continue
        const fill = row.querySelector('.partwise__fill') as HTMLElement
        const bar = row.querySelector('[role=progressbar]') as HTMLElement
        seen.push(`${fill.style.width} ${bar.getAttribute('aria-valuenow')}`)
      }
    })
    observer.observe(ui.root, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    })
    await userEvent.upload(ui.input, makeFile(PART * 3, 'clip.bin'))
    await statusOf(ui, 'clip.bin', 'success')
    await new Promise((resolve) => setTimeout(resolve, 50))
    observer.disconnect()
    expect(seen.length).toBeGreaterThan(0)
    expect(new Set(seen)).toEqual(new Set(['100% 100']))
  })

  it('explain a refusal under || as a person would, with the status "Refused"', async () => {
    const ui = mountUi({ conditions: IMAGE_OR_SMALL })
    await userEvent.upload(ui.input, makeFile(9000, 'large.bin'))
    const row = await statusOf(ui, 'large.bin', 'error')
    expect(textOf(row, '.partwise__status')).toBe('Refused')
    expect(textOf(row, '.partwise__errors')).toBe(
      'The file must be an image up to 4000 px wide, or any file up to 5 KB; this file is 9 KB and not an image',
    )
    expect(row.querySelector('[role=progressbar]:not([hidden])')).toBeNull()
    expect(row.querySelector('.partwise__amounts:not([hidden])')).toBeNull()
    // Screen readers hear the same words.
    await vi.waitFor(() =>
      expect(textOf(ui.root, '[role=status]')).toContain(
        'large.bin: Refused: The file must be an image up to 4000 px wide, or any file up to 5 KB',
      ),
    )
  })

  it('hint at what is accepted in words, and let the refusal line be dismissed', async () => {
    const ui = mountUi({ multiple: true, accept: 'image/*,.bin', maxFiles: 3 })
    expect(textOf(ui.root, '.partwise__hint')).toBe('Images or BIN · up to 3 files')
    await userEvent.upload(ui.input, [makeFile(100, 'run.exe'), makeFile(100, 'ok.bin')])
    await statusOf(ui, 'ok.bin', 'success')
    expect(textOf(ui.root, '.partwise__refused')).toBe('run.exe: this type of file is not accepted')
    await userEvent.click(buttonOf(ui, 'Dismiss'))
    await vi.waitFor(() =>
      expect(ui.root.querySelector('.partwise__refused:not([hidden] *)')).toBeNull(),
    )
    const active = (ui.root as Document | ShadowRoot).activeElement ?? document.activeElement
    expect(active).toBe(ui.input)
    await rowOf(ui, 'ok.bin')
  })
})

describe.each(UIS)('%s hint', (_, mountUi) => {
  it.each([
    ['image/*', 'Images'],
    ['video/*,audio/*', 'Videos or Audio files'],
    ['.pdf,.docx,image/png', 'PDF, DOCX or image/png'],
  ])('says %s as "%s"', (accept, words) => {
    const ui = mountUi({ accept })
    expect(textOf(ui.root, '.partwise__hint')).toBe(words)
  })
})
