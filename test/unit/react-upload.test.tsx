// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Upload, type UploadProps } from '../../src/react/index.ts'
import { bytes, fakeServer } from './react-fake-server.ts'

afterEach(() => {
  cleanup()
  document.head.querySelector('style[data-partwise]')?.remove()
})

type Server = ReturnType<typeof fakeServer>
const props = (server: Server, extra: Partial<UploadProps> = {}): UploadProps => ({
  url: 'http://upload.test/u',
  transport: server.transport,
  resume: false,
  chunkSize: 10,
  concurrency: 1,
  ...extra,
})
const itemOf = async (name: string) =>
  (await screen.findByText(name, { selector: '.partwise__name' })).closest('li') as HTMLElement
const input = () => document.querySelector('input[type=file]') as HTMLInputElement
const dataTransfer = (files: File[]) => ({
  files,
  types: ['Files'],
  items: files.map((f) => ({ kind: 'file', type: f.type })),
  dropEffect: 'none',
})

describe('<Upload />', () => {
  it('keeps the file input in the layout, named by the drop zone text', () => {
    render(<Upload {...props(fakeServer())} />)
    const field = screen.getByLabelText(/drop a file here, or click to browse/i)
    expect(field).toBe(input())
    expect(field.style.display).not.toBe('none')
    expect(field.style.position).toBe('absolute')
    expect(field.tabIndex).toBe(0)
  })

  it('uploads a picked file and shows its name, size, progress and final state', async () => {
    const server = fakeServer()
    const onSuccess = vi.fn()
    const onFileResult = vi.fn()
    const onComplete = vi.fn()
    render(<Upload {...props(server, { onSuccess, onFileResult, onComplete })} />)
    const file = bytes(25, 'notes.txt', 'text/plain')
    await userEvent.upload(input(), file)
    const item = await itemOf('notes.txt')
    await within(item).findByText('Uploaded')
    expect(item.dataset.status).toBe('success')
    expect(within(item).getByText('25 bytes')).toBeTruthy()
    const bar = within(item).getByRole('progressbar', { name: 'Upload of notes.txt' })
    expect(bar.getAttribute('aria-valuenow')).toBe('100')
    await waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1))
    expect(onSuccess).toHaveBeenCalledWith(expect.objectContaining({ object: 'media' }), file)
    expect(onFileResult).toHaveBeenCalledWith(expect.objectContaining({ status: 'success', file }))
    expect(onComplete.mock.calls[0]?.[0]).toHaveLength(1)
  })

  it('announces the start and the end in a polite live region', async () => {
    render(<Upload {...props(fakeServer())} />)
    const region = screen.getByRole('status')
    expect(region.getAttribute('aria-live')).toBe('polite')
    await userEvent.upload(input(), bytes(25, 'a.bin'))
    await waitFor(() => expect(region.lastElementChild?.textContent).toBe('a.bin: Uploaded'))
    expect(region.firstElementChild?.textContent).toBe('a.bin: Uploading')
  })

  it('replaces any string through `messages`', async () => {
    render(
      <Upload
        {...props(fakeServer())}
        messages={{
          prompt: () => 'Déposez un fichier',
          status: (s) => (s === 'success' ? 'Envoyé' : s),
        }}
      />,
    )
    expect(screen.getByLabelText('Déposez un fichier')).toBe(input())
    await userEvent.upload(input(), bytes(5))
    expect(await screen.findByText('Envoyé')).toBeTruthy()
  })

  it('renders a custom body from a render prop, over the same state', async () => {
    render(
      <Upload {...props(fakeServer())} multiple>
        {({ items, open, status }) => (
          <div>
            <button type="button" onClick={open}>
              Pick
            </button>
            <p>{status}</p>
            {items.map((i) => (
              <span key={i.id}>{`${i.name}:${i.status}`}</span>
            ))}
          </div>
        )}
      </Upload>,
    )
    expect(input().getAttribute('aria-label')).toMatch(/drop files here/i)
    await userEvent.upload(input(), [bytes(5, 'x.bin'), bytes(7, 'y.bin')])
    expect(await screen.findByText('x.bin:success')).toBeTruthy()
    expect(await screen.findByText('y.bin:success')).toBeTruthy()
    expect(screen.getByRole('status').closest('[data-status]')?.getAttribute('data-status')).toBe(
      'success',
    )
  })

  it('shows each condition a file broke, in words, and sends nothing', async () => {
    const server = fakeServer()
    render(
      <Upload
        {...props(server, { conditions: [{ prop: 'filesize', operator: '<=', value: 10 }] })}
      />,
    )
    await userEvent.upload(input(), bytes(25, 'big.bin'))
    const item = await itemOf('big.bin')
    await within(item).findByText(/the limit is 10 bytes/)
    expect(item.dataset.status).toBe('error')
    expect(within(item).queryByRole('button', { name: /retry/i })).toBeNull()
    expect(server.requests).toHaveLength(0)
  })

  it('marks a drag over, and a drag of a refused type, with data attributes', () => {
    const { container } = render(<Upload {...props(fakeServer())} accept="image/*" />)
    const root = container.firstElementChild as HTMLElement
    fireEvent.dragEnter(root, { dataTransfer: dataTransfer([bytes(1, 'a.png', 'image/png')]) })
    expect(root.dataset.dragging).toBe('')
    expect(root.dataset.dragReject).toBeUndefined()
    fireEvent.dragLeave(root, { dataTransfer: dataTransfer([]) })
    expect(root.dataset.dragging).toBeUndefined()
    fireEvent.dragEnter(root, {
      dataTransfer: dataTransfer([bytes(1, 'a.exe', 'application/x-msdownload')]),
    })
    expect(root.dataset.dragReject).toBe('')
    expect(screen.getByText(/cannot be uploaded here/)).toBeTruthy()
  })

  it('refuses dropped files of a type `accept` excludes, and says why', async () => {
    const server = fakeServer()
    const { container } = render(<Upload {...props(server)} accept=".png" multiple />)
    const root = container.firstElementChild as HTMLElement
    fireEvent.drop(root, { dataTransfer: dataTransfer([bytes(3, 'run.exe'), bytes(3, 'ok.png')]) })
    const refused = { selector: '.partwise__refused li' }
    expect(
      await screen.findByText('run.exe: this type of file is not accepted', refused),
    ).toBeTruthy()
    expect(await itemOf('ok.png')).toBeTruthy()
    expect(screen.getByRole('status').textContent).toMatch(/run.exe/)
  })

  it('uploads `parallelFiles` at a time; the others wait their turn', async () => {
    const server = fakeServer({ hold: true })
    const onComplete = vi.fn()
    render(<Upload {...props(server, { parallelFiles: 1, onComplete })} multiple />)
    await userEvent.upload(input(), [bytes(5, 'one.bin'), bytes(5, 'two.bin')])
    const two = await itemOf('two.bin')
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(two.dataset.status).toBe('queued')
    expect(within(two).getByText('Waiting')).toBeTruthy()
    while (two.dataset.status !== 'success') {
      await waitFor(() => expect(server.pending.length).toBeGreaterThan(0))
      await act(async () => server.next().release())
    }
    await waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1))
    expect(onComplete.mock.calls[0]?.[0].map((r: { status: string }) => r.status)).toEqual([
      'success',
      'success',
    ])
    expect(
      // Named by the summary line above it (#17: the overall bar has a visible label).
      screen.getByRole('progressbar', { name: '2 of 2 uploaded' }).getAttribute('aria-valuenow'),
    ).toBe('100')
  })

  it('refuses files beyond `maxFiles`', async () => {
    render(<Upload {...props(fakeServer())} multiple maxFiles={1} />)
    await userEvent.upload(input(), [bytes(5, 'a.bin'), bytes(5, 'b.bin')])
    const refused = { selector: '.partwise__refused li' }
    expect(await screen.findByText('b.bin: too many files (at most 1)', refused)).toBeTruthy()
    expect(screen.getAllByRole('listitem').filter((li) => li.dataset.status)).toHaveLength(1)
  })

  it('keeps focus on the control when Pause becomes Resume', async () => {
    const server = fakeServer({ hold: true })
    render(<Upload {...props(server)} />)
    await userEvent.upload(input(), bytes(25, 'f.bin'))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    const pause = await screen.findByRole('button', { name: 'Pause f.bin' })
    pause.focus()
    await userEvent.keyboard('{Enter}')
    const resume = await screen.findByRole('button', { name: 'Resume f.bin' })
    expect(resume).toBe(pause)
    expect(document.activeElement).toBe(resume)
    expect(screen.getByRole('button', { name: 'Cancel f.bin' })).toBeTruthy()
  })

  it('retries a failed file from where it stopped', async () => {
    const server = fakeServer({ hold: true })
    render(<Upload {...props(server)} />)
    await userEvent.upload(input(), bytes(25, 'f.bin'))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    await act(async () => server.next().release())
    await waitFor(() => expect(server.pending).toHaveLength(1))
    await act(async () => server.next().fail(400))
    await userEvent.click(await screen.findByRole('button', { name: 'Retry f.bin' }))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(server.parts()).toEqual([0, 1, 1])
  })

  it('adds its stylesheet once, and none when unstyled', () => {
    const { container, rerender } = render(
      <>
        <Upload {...props(fakeServer())} />
        <Upload {...props(fakeServer())} />
      </>,
    )
    expect(document.head.querySelectorAll('style[data-partwise]')).toHaveLength(1)
    expect(container.querySelectorAll('.partwise')).toHaveLength(2)
    document.head.querySelector('style[data-partwise]')?.remove()
    rerender(<Upload {...props(fakeServer())} unstyled className="mine" />)
    expect(document.head.querySelector('style[data-partwise]')).toBeNull()
    expect(container.firstElementChild?.className).toBe('mine')
  })
})
