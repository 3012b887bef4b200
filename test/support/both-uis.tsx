/**
 * `<Upload />` and `<partwise-upload>` behind one face, for tests that hold both to the same
 * words and looks: mount either with the same options, then find rows, words and buttons by the
 * classes both give the same pieces (the element's are in its shadow root).
 */
import '../../src/element/index.ts'
import './testing-library.ts'
import { render } from '@testing-library/react'
import { expect, vi } from 'vitest'
import type { Conditions } from '../../src/core/index.ts'
import { Upload } from '../../src/react/index.ts'
import { mount, shadowOf } from './element.ts'
import { createSession } from './server.ts'

export const PART = 64 * 1024

export interface UiOptions {
  multiple?: boolean
  accept?: string
  maxFiles?: number
  conditions?: Conditions
}

export interface Ui {
  /** Where the component's pieces are: the container, or the element's shadow root. */
  readonly root: ParentNode
  readonly input: HTMLInputElement
}

const getUrl = async (): Promise<string> => (await createSession()).url

export const UIS: ReadonlyArray<readonly [name: string, mount: (options: UiOptions) => Ui]> = [
  [
    '<Upload />',
    (o) => {
      const { container } = render(
        <Upload
          url={getUrl}
          chunkSize={PART}
          concurrency={1}
          resume={false}
          multiple={o.multiple}
          accept={o.accept}
          maxFiles={o.maxFiles}
          conditions={o.conditions}
        />,
      )
      const input = container.querySelector('input[type=file]') as HTMLInputElement
      return { root: container, input }
    },
  ],
  [
    '<partwise-upload>',
    (o) => {
      const attributes: Record<string, string> = { concurrency: '1' }
      if (o.multiple) attributes.multiple = ''
      if (o.accept) attributes.accept = o.accept
      if (o.maxFiles) attributes['max-files'] = String(o.maxFiles)
      const element = mount(attributes, o.conditions ? { conditions: o.conditions } : {})
      const root = shadowOf(element)
      return { root, input: root.querySelector('input[type=file]') as HTMLInputElement }
    },
  ],
]

export const rowOf = (ui: Ui, name: string): Promise<HTMLElement> =>
  vi.waitFor(
    () => {
      const rows = [...ui.root.querySelectorAll<HTMLElement>('.partwise__item')]
      const row = rows.find((li) => li.querySelector('.partwise__name')?.textContent === name)
      if (!row) throw new Error(`no row for ${name}`)
      return row
    },
    { timeout: 10_000 },
  )

/** Waits for a file's data-status; on failure the message shows the row's text, which says why. */
export async function statusOf(ui: Ui, name: string, status: string): Promise<HTMLElement> {
  const row = await rowOf(ui, name)
  await vi.waitFor(
    () => expect(`${row.dataset.status} ${row.textContent}`).toMatch(new RegExp(`^${status}`)),
    {
      timeout: 15_000,
    },
  )
  return row
}

export const textOf = (scope: ParentNode, selector: string): string | null | undefined =>
  scope.querySelector(selector)?.textContent

export function buttonOf(ui: Ui, label: string): HTMLButtonElement {
  const button = [...ui.root.querySelectorAll('button')].find(
    (b) => (b.getAttribute('aria-label') ?? b.textContent) === label,
  )
  if (!button) throw new Error(`no button "${label}"`)
  return button
}
