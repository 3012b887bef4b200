import type { Meta, StoryObj } from '@storybook/react-vite'
import { expect, userEvent, waitFor, within } from 'storybook/test'
import { isRunning } from '../src/core/status.ts'
import { useResumableUpload, useUploadQueue } from '../src/react/index.ts'
import { getUploadUrl, sampleFile, serverOptions, slowParts, withFaults } from './backend.ts'

interface CardProps {
  /** Bytes per part. */
  chunkSize: number
  /** Parts in flight at once. */
  concurrency: number
  mode: 'resumable' | 'simple'
}

/** A UI of your own over `useResumableUpload`: the hook gives state and actions, nothing else. */
function UploadCard({ chunkSize, concurrency, mode }: CardProps) {
  const u = useResumableUpload({
    url: getUploadUrl,
    chunkSize,
    concurrency,
    mode,
    resume: false,
    ...serverOptions,
  })
  const percent = Math.round(u.progress * 100)
  return (
    <section aria-label="Avatar upload" style={{ display: 'grid', gap: 8, maxWidth: 360 }}>
      <label>
        Avatar{' '}
        <input
          type="file"
          onChange={(e) => e.target.files?.[0] && void u.upload(e.target.files[0])}
        />
      </label>
      <progress max={100} value={percent} aria-label="Avatar upload progress" />
      <p data-testid="status">
        {u.status} · {percent}%
        {u.timeRemaining !== null && ` · ${Math.ceil(u.timeRemaining)} s left`}
      </p>
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="button" onClick={u.pause} disabled={!isRunning(u.status)}>
          Pause
        </button>
        <button type="button" onClick={u.resume} disabled={u.status !== 'paused'}>
          Resume
        </button>
        <button type="button" onClick={() => void u.retry()} disabled={u.status !== 'error'}>
          Retry
        </button>
        <button type="button" onClick={u.reset}>
          Reset
        </button>
      </div>
      {u.error && <p role="alert">{u.error.message}</p>}
      {u.result && <p>Stored as {u.result.id}</p>}
    </section>
  )
}

/** A table of your own over `useUploadQueue`: several files, two at a time, with totals. */
function QueueTable() {
  const q = useUploadQueue({
    url: getUploadUrl,
    chunkSize: 64 * 1024,
    parallelFiles: 2,
    resume: false,
    ...serverOptions,
  })
  return (
    <section aria-label="Batch upload">
      <input
        type="file"
        multiple
        aria-label="Files"
        onChange={(e) => q.add(e.target.files ?? [])}
      />
      <p data-testid="total">
        {q.status}: {Math.round(q.progress * 100)}% of {q.items.length} files
      </p>
      <table>
        <tbody>
          {q.items.map((item) => (
            <tr key={item.id} data-status={item.queued ? 'queued' : item.status}>
              <td>{item.name}</td>
              <td>{Math.round(item.progress * 100)}%</td>
              <td>
                <button type="button" onClick={item.remove}>
                  Remove {item.name}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

const meta = {
  title: 'Headless/useResumableUpload',
  component: UploadCard,
  tags: ['autodocs'],
  args: { chunkSize: 64 * 1024, concurrency: 4, mode: 'resumable' },
  argTypes: {
    mode: { control: 'inline-radio', options: ['resumable', 'simple'] },
    concurrency: { control: { type: 'range', min: 1, max: 8 } },
  },
} satisfies Meta<typeof UploadCard>

export default meta
type Story = StoryObj<typeof meta>

export const CustomCard: Story = {
  beforeEach: withFaults(slowParts(100)),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    await userEvent.upload(canvas.getByLabelText('Avatar'), sampleFile(512 * 1024, 'me.bin'))
    // Testing Library's own 1 s limit is less than a session and a first part can take on a
    // loaded machine.
    const status = (pattern: RegExp) =>
      waitFor(() => expect(canvas.getByTestId('status').textContent).toMatch(pattern), {
        timeout: 15_000,
      })
    await status(/^uploading/)
    await userEvent.click(canvas.getByRole('button', { name: 'Pause' }))
    await status(/^paused/)
    await userEvent.click(canvas.getByRole('button', { name: 'Resume' }))
    await canvas.findByText(/Stored as/, {}, { timeout: 15_000 })
  },
}

export const CustomQueue: StoryObj = {
  render: () => <QueueTable />,
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement)
    const files = [1, 2, 3].map((n) => sampleFile(n * 100 * 1024, `batch-${n}.bin`))
    await userEvent.upload(canvas.getByLabelText('Files'), files)
    await waitFor(
      () => expect(canvas.getByTestId('total').textContent).toBe('success: 100% of 3 files'),
      {
        timeout: 15_000,
      },
    )
  },
}
