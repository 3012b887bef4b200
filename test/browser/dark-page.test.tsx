import { cleanup } from '@testing-library/react'
import axe from 'axe-core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { userEvent } from 'vitest/browser'
import type { Conditions } from '../../src/core/index.ts'
import { buttonOf, PART, statusOf, textOf, UIS, type Ui } from '../support/both-uis.tsx'
import { makeFile } from '../support/bytes.ts'
import { resetServer, setFaults } from '../support/server.ts'

/**
 * #17 item 5: on a dark page (#111, light text, no `color-scheme` declared), every colour the
 * default theme adds meets WCAG AA: axe-core's contrast check on the words (a refusal, "Refused",
 * "Uploaded"), and 3:1 for the bar's fill against its track and the page (WCAG 1.4.11), which
 * axe does not check.
 */

const PAGE = '#111111'
const CONDITIONS: Conditions = {
  operator: '||',
  rules: [
    {
      operator: '&&',
      rules: [
        { prop: 'kind', operator: '==', value: 'image' },
        { prop: 'width', operator: '<=', value: 4000 },
      ],
    },
    { prop: 'filesize', operator: '<=', value: 500_000 },
  ],
}

/** A colour as the screen shows it over `under` (both any CSS colour), in 0–255 sRGB. */
function paint(color: string, under: string): number[] {
  const context = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D
  context.fillStyle = under
  context.fillRect(0, 0, 1, 1)
  context.fillStyle = color
  context.fillRect(0, 0, 1, 1)
  return [...context.getImageData(0, 0, 1, 1).data.slice(0, 3)]
}
const luminance = (rgb: number[]) => {
  const [r = 0, g = 0, b = 0] = rgb.map((c) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
const contrast = (a: number[], b: number[]) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (high + 0.05) / (low + 0.05)
}

/** The fill of a row's bar against its track (itself over the page) and against the page. */
function barContrast(row: HTMLElement): { track: number; page: number } {
  const bar = row.querySelector('.partwise__bar') as HTMLElement
  const fill = row.querySelector('.partwise__fill') as HTMLElement
  const page = paint(PAGE, PAGE)
  const track = paint(getComputedStyle(bar).backgroundColor, PAGE)
  const color = paint(getComputedStyle(fill).backgroundColor, `rgb(${track.join(' ')})`)
  return { track: contrast(color, track), page: contrast(color, page) }
}

async function axeOn(ui: Ui): Promise<{ violations: string[]; unsure: string[]; checked: number }> {
  const context = ui.root instanceof ShadowRoot ? ui.root.host : (ui.root as HTMLElement)
  const results = await axe.run(context, { rules: { region: { enabled: false } } })
  const list = (rules: axe.Result[]) =>
    rules.map((v) => `${v.id}: ${v.nodes.map((n) => n.html).join(' | ')}`)
  const contrastPasses = results.passes.find((r) => r.id === 'color-contrast')
  return {
    violations: list(results.violations),
    unsure: list(results.incomplete.filter((r) => r.id === 'color-contrast')),
    checked: contrastPasses?.nodes.length ?? 0,
  }
}

beforeEach(async () => {
  await resetServer()
  document.documentElement.style.cssText = `background:${PAGE};color:#eee`
})
afterEach(() => {
  cleanup()
  document.body.replaceChildren()
  document.documentElement.style.cssText = ''
})

describe.each(UIS)('%s on a dark page', (_, mountUi) => {
  it('meets WCAG AA with a refusal, "Uploaded", a bar running and paused', async () => {
    await setFaults([{ method: 'PUT', path: '/store/resumable', latencyMs: 1_000 }])
    const ui = mountUi({ multiple: true, accept: '.bin', conditions: CONDITIONS })
    await userEvent.upload(ui.input, [
      makeFile(100, 'small.bin'),
      makeFile(600_000, 'large.bin'),
      makeFile(PART * 6, 'movie.bin'),
      makeFile(10, 'run.exe'),
    ])
    const large = await statusOf(ui, 'large.bin', 'error')
    expect(textOf(large, '.partwise__status')).toBe('Refused')
    expect(textOf(large, '.partwise__errors')).toMatch(/^The file must be an image/)
    expect(textOf(ui.root, '.partwise__refused')).toMatch(/^run.exe: /)
    const small = await statusOf(ui, 'small.bin', 'success')
    expect(textOf(small, '.partwise__status')).toBe('Uploaded')
    const movie = await statusOf(ui, 'movie.bin', 'uploading')
    await vi.waitFor(
      () =>
        expect(movie.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow')).not.toBe(
          '0',
        ),
      { timeout: 10_000 },
    )

    const running = await axeOn(ui)
    expect(running.violations).toEqual([])
    expect(running.unsure).toEqual([])
    expect(running.checked).toBeGreaterThan(5)
    for (const row of [small, movie]) {
      const { track, page } = barContrast(row)
      expect(track).toBeGreaterThanOrEqual(3)
      expect(page).toBeGreaterThanOrEqual(3)
    }

    await userEvent.click(buttonOf(ui, 'Pause movie.bin'))
    await statusOf(ui, 'movie.bin', 'paused')
    const paused = await axeOn(ui)
    expect(paused.violations).toEqual([])
    expect(paused.unsure).toEqual([])
    const { track, page } = barContrast(movie)
    expect(track).toBeGreaterThanOrEqual(3)
    expect(page).toBeGreaterThanOrEqual(3)
  })
})
