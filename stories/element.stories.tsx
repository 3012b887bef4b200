import type { Meta, StoryObj } from '@storybook/react-vite'
import { useEffect, useRef } from 'react'
import { expect, userEvent, waitFor } from 'storybook/test'
import { PartwiseUpload } from '../src/element/index.ts'
import { getUploadUrl, inPage, sampleFile, serverOptions } from './backend.ts'

const KB = 1024

// package.json's `sideEffects` lists dist/element.js, not its source: a production build (the
// static Storybook) drops a bare `import '../src/element/index.ts'` and with it the element's
// definition. The stories define it themselves, as the import would.
if (!customElements.get('partwise-upload')) customElements.define('partwise-upload', PartwiseUpload)

interface ElementArgs {
  multiple: boolean
  disabled: boolean
  unstyled: boolean
  accept: string
  maxFiles: number | undefined
  conditions: string
}

/**
 * `<partwise-upload>` as plain HTML would write it, made by hand so that each story shows the
 * attributes themselves: React plays no part in the element.
 */
function Element(args: ElementArgs) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = document.createElement('partwise-upload')
    // Beside the dev server, the `session` attribute and the reference server's route, as plain
    // HTML writes it; in a static build, the in-page server (see backend.ts) through properties.
    if (inPage) element.url = getUploadUrl
    else element.setAttribute('session', '/api/upload-session')
    element.setAttribute('chunk-size', String(64 * KB))
    element.options = { resume: false, ...serverOptions }
    for (const name of ['multiple', 'disabled', 'unstyled'] as const) {
      element.toggleAttribute(name, args[name])
    }
    if (args.accept) element.setAttribute('accept', args.accept)
    if (args.maxFiles) element.setAttribute('max-files', String(args.maxFiles))
    if (args.conditions) element.setAttribute('conditions', args.conditions)
    host.current?.append(element)
    return () => element.remove()
  }, [args])
  return <div ref={host} />
}

const elementOf = (canvas: HTMLElement) => canvas.querySelector('partwise-upload') as PartwiseUpload
const shadow = (canvas: HTMLElement) => elementOf(canvas).shadowRoot as ShadowRoot
const input = (canvas: HTMLElement) =>
  shadow(canvas).querySelector('input[type=file]') as HTMLInputElement
const statusOf = (canvas: HTMLElement, name: string) =>
  [...shadow(canvas).querySelectorAll<HTMLElement>('li[part~=item]')].find(
    (li) => li.querySelector('[part~=name]')?.textContent === name,
  )?.dataset.status

const meta = {
  title: 'Element',
  component: Element,
  args: {
    multiple: false,
    disabled: false,
    unstyled: false,
    accept: '',
    maxFiles: undefined,
    conditions: '',
  },
  parameters: {
    docs: {
      description: {
        component:
          '`<partwise-upload>`, from `partwise/element`: the same control as `<Upload />`, as a custom element for plain HTML and any framework.',
      },
    },
  },
} satisfies Meta<typeof Element>

export default meta
type Story = StoryObj<typeof meta>

export const Empty: Story = {
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(input(canvasElement)).toBeTruthy())
    await expect(elementOf(canvasElement).dataset.status).toBe('idle')
    elementOf(canvasElement).focus() // delegatesFocus: the native input takes it
    await expect(shadow(canvasElement).activeElement).toBe(input(canvasElement))
  },
}

export const RefusedByConditions: Story = {
  args: { conditions: JSON.stringify([{ prop: 'filesize', operator: '<=', value: 1000 }]) },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(input(canvasElement)).toBeTruthy())
    await userEvent.upload(input(canvasElement), sampleFile(4 * KB, 'report.bin'))
    await waitFor(() => expect(statusOf(canvasElement, 'report.bin')).toBe('error'), {
      timeout: 15_000,
    })
    await expect(shadow(canvasElement).textContent).toMatch(/the limit is 1 KB/)
  },
}

export const Uploads: Story = {
  args: { multiple: true },
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(input(canvasElement)).toBeTruthy())
    await userEvent.upload(input(canvasElement), sampleFile(256 * KB, 'photo.bin'))
    await waitFor(() => expect(statusOf(canvasElement, 'photo.bin')).toBe('success'), {
      timeout: 15_000,
    })
  },
}
