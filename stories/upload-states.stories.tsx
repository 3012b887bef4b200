import type { Meta, StoryObj } from '@storybook/react-vite'
import { useMemo } from 'react'
import { expect, within } from 'storybook/test'
import { type ConditionFailure, UploadError, type UploadStatus } from '../src/core/index.ts'
import { FileItem } from '../src/react/file-item.tsx'
import { defaultUploadMessages, type QueueItem } from '../src/react/index.ts'
import { useDefaultStyles } from '../src/react/styles.ts'

const MB = 1e6
const thumbnail = new Blob(
  [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#0ea5e9"/><circle cx="3" cy="1" r=".5" fill="#fde047"/><path d="M0 3 1.5 1.2 3 3z" fill="#15803d"/></svg>',
  ],
  { type: 'image/svg+xml' },
)
const refusal: ConditionFailure[] = [
  {
    code: 'rule_failed',
    rule: { key: 'filesize', operator: '<=', value: 5 * MB },
    actual: 48 * MB,
    message: 'The file is 48 MB; the limit is 5 MB',
  },
  {
    code: 'rule_failed',
    rule: { key: 'kind', operator: '==', value: 'image' },
    actual: 'video',
    message: 'Only image files are accepted; this is a video',
  },
]

interface FileStateProps {
  /** What the file's upload is doing; `queued` waits for a free place. */
  status: UploadStatus | 'queued'
  /** 0 to 1. */
  progress: number
  /** Bytes per second. */
  speed: number
  size: number
  name: string
  /** Show the refusal by the upload conditions (with `status: 'error'`). */
  refused: boolean
}

/** One file of `<Upload />` over a fixed snapshot: every state, no server needed. */
function FileState({ status, progress, speed, size, name, refused }: FileStateProps) {
  useDefaultStyles(false)
  const item = useMemo<QueueItem>(() => {
    const error =
      status !== 'error'
        ? null
        : refused
          ? new UploadError('conditions_failed', refusal[0]?.message ?? '', {
              refusal: { file: thumbnail, errors: refusal },
            })
          : new UploadError('http_error', 'The server refused part 3 (HTTP 500): Disk full', {
              status: 500,
            })
    const uploaded = Math.round(size * progress)
    const noop = () => undefined
    return {
      id: '1',
      name,
      file: thumbnail,
      status: status === 'queued' ? 'idle' : status,
      queued: status === 'queued',
      bytesUploaded: uploaded,
      bytesTotal: size,
      bytesRecorded: 0,
      progress,
      speed,
      timeRemaining: speed > 0 ? (size - uploaded) / speed : null,
      partsTotal: Math.ceil(size / (8 * MB)),
      partsAcknowledged: Math.floor((uploaded / size) * Math.ceil(size / (8 * MB))),
      resumed: false,
      error,
      result:
        status === 'success'
          ? {
              id: 'med_1',
              object: 'media',
              kind: 'image',
              width: 4,
              height: 3,
              duration: null,
              filesize: size,
            }
          : null,
      pause: noop,
      resume: noop,
      cancel: noop,
      retry: noop,
      remove: noop,
    }
  }, [status, progress, speed, size, name, refused])
  return (
    <div className="partwise" style={{ maxWidth: 560 }}>
      <ul className="partwise__list" aria-label="Files">
        <FileItem item={item} messages={defaultUploadMessages} onRemove={item.remove} />
      </ul>
    </div>
  )
}

const meta = {
  title: 'Upload/States (fixed snapshots)',
  component: FileState,
  tags: ['autodocs'],
  args: {
    status: 'uploading',
    progress: 0.42,
    speed: 3.2 * MB,
    size: 48 * MB,
    name: 'holiday.jpg',
    refused: false,
  },
  argTypes: {
    status: {
      control: 'select',
      options: [
        'queued',
        'checking',
        'verifying',
        'uploading',
        'retrying',
        'offline',
        'paused',
        'completing',
        'success',
        'error',
        'cancelled',
      ],
    },
    progress: { control: { type: 'range', min: 0, max: 1, step: 0.01 } },
  },
} satisfies Meta<typeof FileState>

export default meta
type Story = StoryObj<typeof meta>

const shows =
  (status: string, ...texts: RegExp[]): NonNullable<Story['play']> =>
  async ({ canvasElement }) => {
    const item = canvasElement.querySelector('li[data-status]') as HTMLElement
    await expect(item.dataset.status).toBe(status)
    for (const text of texts) await expect(within(item).getByText(text)).toBeVisible()
  }

export const Waiting: Story = {
  args: { status: 'queued', progress: 0, speed: 0 },
  play: shows('queued', /Waiting/),
}
export const Uploading: Story = { play: shows('uploading', /3.2 MB\/s/, /left$/) }
export const Paused: Story = {
  args: { status: 'paused', speed: 0 },
  play: shows('paused', /^Resume$/),
}
export const Retrying: Story = { args: { status: 'retrying' }, play: shows('retrying', /Retrying/) }
export const Offline: Story = {
  args: { status: 'offline', speed: 0 },
  play: shows('offline', /Offline/),
}
export const RefusedByConditions: Story = {
  args: { status: 'error', progress: 0, speed: 0, refused: true, name: 'clip.mp4' },
  play: shows('error', /the limit is 5 MB/, /Only image files/),
}
export const Failed: Story = {
  args: { status: 'error', speed: 0 },
  play: shows('error', /Disk full/, /^Retry$/),
}
export const Done: Story = {
  args: { status: 'success', progress: 1, speed: 0 },
  play: shows('success', /Uploaded/),
}
export const Cancelled: Story = {
  args: { status: 'cancelled', speed: 0 },
  play: shows('cancelled', /Cancelled/),
}
