import type { Meta, StoryObj } from '@storybook/react-vite'
import type { CSSProperties } from 'react'
import { expect, fn, userEvent, waitFor, within } from 'storybook/test'
import { Upload } from '../src/react/index.ts'
import {
  failingParts,
  getUploadUrl,
  sampleFile,
  serverOptions,
  slowParts,
  withFaults,
} from './backend.ts'

const KB = 1024
const input = (canvas: HTMLElement) => canvas.querySelector('input[type=file]') as HTMLInputElement
const rootOf = (canvas: HTMLElement) => canvas.querySelector('[data-status]') as HTMLElement
const itemOf = async (canvas: HTMLElement, name: string) =>
  (await within(canvas).findByText(name, { selector: '.partwise__name' })).closest(
    'li',
  ) as HTMLElement
const until = (item: HTMLElement, status: string) =>
  waitFor(() => expect(item.dataset.status).toBe(status), { timeout: 15_000 })
const dragOver = (canvas: HTMLElement, file: File) => {
  const data = new DataTransfer()
  data.items.add(file)
  rootOf(canvas).dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true }))
}

/** A state the play function brings about, for the tests: on its own page, not the docs page. */
const notInDocs = ['!autodocs']

const meta = {
  title: 'Upload',
  component: Upload,
  tags: ['autodocs'],
  args: {
    url: getUploadUrl,
    ...serverOptions,
    chunkSize: 64 * KB,
    concurrency: 4,
    mode: 'resumable',
    resume: false,
    multiple: false,
    disabled: false,
    unstyled: false,
    parallelFiles: 3,
    onSuccess: fn(),
    onError: fn(),
    onFileResult: fn(),
    onComplete: fn(),
  },
  argTypes: {
    url: { control: false },
    mode: { control: 'inline-radio', options: ['resumable', 'simple'] },
    chunkSize: { control: { type: 'number', min: 1024, step: 1024 } },
    concurrency: { control: { type: 'range', min: 1, max: 8 } },
    parallelFiles: { control: { type: 'range', min: 1, max: 6 } },
    maxFiles: { control: 'number' },
    accept: { control: 'text' },
    conditions: { control: 'object' },
    messages: { control: 'object' },
    endpoint: { control: 'text' },
    resume: { control: 'boolean' },
    children: { control: false },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A drop zone and a file list that upload resumably. Files come by drag and drop, by the picker (click, or Enter / Space on the focused input) and by paste. The uploads here are real: beside `npm run storybook` they go to the reference server, and in the published Storybook to a server in the page (the same protocol, behind the `transport` option).',
      },
    },
  },
} satisfies Meta<typeof Upload>

export default meta
type Story = StoryObj<typeof meta>

/** One file at a time: pick one, drop one or paste one, and it uploads in 64 KiB parts. */
export const Basic: Story = {
  play: async ({ canvasElement }) => {
    const field = within(canvasElement).getByLabelText(/drop a file here/i)
    await expect(field).toBe(input(canvasElement))
    field.focus()
    await expect(field).toHaveFocus()
    await expect(rootOf(canvasElement).dataset.status).toBe('idle')
  },
}

export const DragOver: Story = {
  tags: notInDocs,
  play: async ({ canvasElement }) => {
    dragOver(canvasElement, sampleFile(10, 'photo.bin'))
    await waitFor(() => expect(rootOf(canvasElement).dataset.dragging).toBe(''))
    await expect(within(canvasElement).getByText('Drop to upload')).toBeVisible()
  },
}

export const DragOfARefusedType: Story = {
  tags: notInDocs,
  args: { accept: 'image/*' },
  play: async ({ canvasElement }) => {
    dragOver(canvasElement, new File(['%PDF'], 'doc.pdf', { type: 'application/pdf' }))
    await waitFor(() => expect(rootOf(canvasElement).dataset.dragReject).toBe(''))
  },
}

export const RefusedByConditions: Story = {
  tags: notInDocs,
  args: {
    conditions: [{ prop: 'filesize', operator: '<=', value: 1000 }],
    url: fn(getUploadUrl),
  },
  play: async ({ canvasElement, args }) => {
    await userEvent.upload(input(canvasElement), sampleFile(4 * KB, 'report.bin'))
    const item = await itemOf(canvasElement, 'report.bin')
    await until(item, 'error')
    await expect(within(item).getByText(/the limit is 1 KB/)).toBeVisible()
    // Refused before any byte: the backend was not even asked for an upload URL.
    await expect(args.url).not.toHaveBeenCalled()
  },
}

export const Uploading: Story = {
  tags: notInDocs,
  beforeEach: withFaults(slowParts(400)),
  play: async ({ canvasElement }) => {
    await userEvent.upload(input(canvasElement), sampleFile(2048 * KB, 'video.bin'))
    const item = await itemOf(canvasElement, 'video.bin')
    await until(item, 'uploading')
    await expect(
      within(item).getByRole('progressbar', { name: 'Upload of video.bin' }),
    ).toBeVisible()
  },
}

export const Paused: Story = {
  tags: notInDocs,
  beforeEach: withFaults(slowParts(400)),
  play: async ({ canvasElement }) => {
    await userEvent.upload(input(canvasElement), sampleFile(2048 * KB, 'video.bin'))
    const item = await itemOf(canvasElement, 'video.bin')
    await until(item, 'uploading')
    await userEvent.click(within(item).getByRole('button', { name: 'Pause video.bin' }))
    await until(item, 'paused')
    await expect(within(item).getByRole('button', { name: 'Resume video.bin' })).toHaveFocus()
  },
}

export const Retrying: Story = {
  tags: notInDocs,
  beforeEach: withFaults([...failingParts(503, { times: 3 }), ...slowParts(100)]),
  play: async ({ canvasElement, args }) => {
    await userEvent.upload(input(canvasElement), sampleFile(256 * KB, 'flaky.bin'))
    const item = await itemOf(canvasElement, 'flaky.bin')
    await until(item, 'retrying')
    await until(item, 'success')
    await expect(args.onSuccess).toHaveBeenCalledOnce()
  },
}

export const Failed: Story = {
  tags: notInDocs,
  beforeEach: withFaults(failingParts(400)),
  play: async ({ canvasElement, args }) => {
    await userEvent.upload(input(canvasElement), sampleFile(128 * KB, 'broken.bin'))
    const item = await itemOf(canvasElement, 'broken.bin')
    await until(item, 'error')
    await expect(within(item).getByText(/HTTP 400/)).toBeVisible()
    await expect(within(item).getByRole('button', { name: 'Retry broken.bin' })).toBeVisible()
    await expect(args.onError).toHaveBeenCalledOnce()
  },
}

export const Done: Story = {
  tags: notInDocs,
  play: async ({ canvasElement, args }) => {
    await userEvent.upload(input(canvasElement), sampleFile(300 * KB, 'photo.bin'))
    const item = await itemOf(canvasElement, 'photo.bin')
    await until(item, 'success')
    await expect(within(item).getByText('Uploaded')).toBeVisible()
    await waitFor(() => expect(args.onComplete).toHaveBeenCalledOnce())
  },
}

export const ManyFiles: Story = {
  tags: notInDocs,
  args: { multiple: true, parallelFiles: 2, maxFiles: 6 },
  // Parts held 400 ms: file 3 waits for a place while files 1 and 2 are on the wire, long enough
  // to be seen waiting on a loaded machine (held 150 ms, files 1 and 2 could end first).
  beforeEach: withFaults(slowParts(400)),
  play: async ({ canvasElement, args }) => {
    const files = [1, 2, 3, 4, 5].map((n) => sampleFile(n * 128 * KB, `file-${n}.bin`))
    await userEvent.upload(input(canvasElement), files)
    await expect((await itemOf(canvasElement, 'file-3.bin')).dataset.status).toBe('queued')
    await until(await itemOf(canvasElement, 'file-1.bin'), 'uploading')
    await waitFor(() => expect(rootOf(canvasElement).dataset.status).toBe('success'), {
      timeout: 20_000,
    })
    await waitFor(() => expect(args.onComplete).toHaveBeenCalledOnce())
    // The overall bar is named by the queue line's visible summary (#17), no longer "All files".
    await expect(
      within(canvasElement).getByRole('progressbar', { name: '5 of 5 uploaded' }),
    ).toHaveAttribute('aria-valuenow', '100')
  },
}

/** Images only, up to 5 MB each, several at once: other files are refused before any byte. */
export const ImagesOnly: Story = {
  args: {
    accept: 'image/*',
    multiple: true,
    conditions: [{ prop: 'filesize', operator: '<=', value: 5_000_000 }],
  },
}

/** The theme is CSS custom properties on the root: colour, radius, spacing. */
export const Themed: Story = {
  args: {
    multiple: true,
    style: {
      '--partwise-accent': '#7c3aed',
      '--partwise-radius': '1rem',
      '--partwise-gap': '1rem',
    } as CSSProperties,
  },
}

export const Unstyled: Story = {
  tags: notInDocs,
  args: { unstyled: true, className: 'my-uploader' },
}

/** Every string can be replaced, e.g. to translate it. */
export const Translated: Story = {
  args: {
    multiple: true,
    messages: {
      prompt: () => 'Déposez vos fichiers ici, ou cliquez pour choisir',
      dragActive: 'Lâchez pour envoyer',
      pause: 'Pause',
      resume: 'Reprendre',
      cancel: 'Annuler',
      retry: 'Réessayer',
      remove: 'Retirer',
    },
  },
}

/** `children` as a function: your own body over the same queue, drop target and input. */
export const CustomBody: Story = {
  args: {
    multiple: true,
    children: ({ items, open, isDragging, progress }) => (
      <div
        style={{ padding: 16, border: '1px solid', background: isDragging ? '#eef' : undefined }}
      >
        <button type="button" onClick={open}>
          Choose files
        </button>{' '}
        {items.length > 0 && (
          <span>
            {Math.round(progress * 100)}% of {items.length} files
          </span>
        )}
        <ol>
          {items.map((item) => (
            <li key={item.id}>
              {item.name}: {item.status}
            </li>
          ))}
        </ol>
      </div>
    ),
  },
  play: async ({ canvasElement }) => {
    await userEvent.upload(input(canvasElement), sampleFile(64 * KB, 'custom.bin'))
    await within(canvasElement).findByText('custom.bin: success', {}, { timeout: 15_000 })
  },
}
