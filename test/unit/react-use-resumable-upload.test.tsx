// @vitest-environment jsdom
import { act, cleanup, render, renderHook, waitFor } from '@testing-library/react'
import { StrictMode, useEffect } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { UploadOptions } from '../../src/core/index.ts'
import { useResumableUpload } from '../../src/react/index.ts'
import { bytes, fakeServer } from './react-fake-server.ts'

afterEach(cleanup)

const base = (server: ReturnType<typeof fakeServer>): UploadOptions => ({
  url: 'http://upload.test/u',
  transport: server.transport,
  resume: false,
  chunkSize: 10,
  concurrency: 1,
})

/** Uploads `file` from an effect, the way StrictMode runs twice. */
function AutoUpload({ options, file }: { options: UploadOptions; file: File }) {
  const { upload, status } = useResumableUpload(options)
  useEffect(() => {
    void upload(file)
  }, [upload, file])
  return <p>{status}</p>
}

describe('useResumableUpload()', () => {
  it('starts idle, with no file, and sends nothing on mount', () => {
    const server = fakeServer()
    const { result } = renderHook(() => useResumableUpload(base(server)))
    expect(result.current).toMatchObject({ status: 'idle', file: null, progress: 0, error: null })
    expect(server.requests).toHaveLength(0)
  })

  it('keeps every action the same function across renders and state changes', async () => {
    const server = fakeServer()
    const { result, rerender } = renderHook(() => useResumableUpload(base(server)))
    const first = result.current
    rerender()
    await act(() => result.current.upload(bytes(25)))
    for (const name of ['upload', 'pause', 'resume', 'cancel', 'retry', 'reset'] as const) {
      expect(result.current[name]).toBe(first[name])
    }
  })

  it('shows the core snapshot: status, bytes, progress and the media at the end', async () => {
    const server = fakeServer()
    const { result } = renderHook(() => useResumableUpload(base(server)))
    const file = bytes(25)
    let media: unknown
    await act(async () => {
      media = await result.current.upload(file)
    })
    expect(result.current).toMatchObject({
      status: 'success',
      file,
      bytesUploaded: 25,
      bytesTotal: 25,
      progress: 1,
      partsTotal: 3,
      result: media,
    })
    expect(server.parts()).toEqual([0, 1, 2])
  })

  it('under StrictMode, an effect that uploads on mount sends the file once', async () => {
    const server = fakeServer()
    const url = vi.fn(async () => 'http://upload.test/u')
    const file = bytes(25)
    const view = render(
      <StrictMode>
        <AutoUpload options={{ ...base(server), url }} file={file} />
      </StrictMode>,
    )
    await view.findByText('success')
    expect(url).toHaveBeenCalledTimes(1)
    expect(server.parts()).toEqual([0, 1, 2])
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1)
  })

  it('passes new options to a running upload without restarting it', async () => {
    const server = fakeServer({ hold: true })
    const url = vi.fn(async () => 'http://upload.test/u')
    const { result, rerender } = renderHook(
      ({ version }) =>
        useResumableUpload({ ...base(server), url, headers: { 'X-Version': version } }),
      { initialProps: { version: '1' } },
    )
    void act(() => void result.current.upload(bytes(25)))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    rerender({ version: '2' })
    await act(async () => server.next().release())
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(server.pending[0]?.request.headers['X-Version']).toBe('2')
    expect(server.requests[0]?.headers['X-Version']).toBe('1')
    expect(url).toHaveBeenCalledTimes(1)
    expect(result.current.status).toBe('uploading')
  })

  it('calls the latest url function, and does not re-resolve options for an inline one', async () => {
    const server = fakeServer({ hold: true })
    localStorage.setItem('an-app-key', 'kept')
    const { result, rerender } = renderHook(
      ({ url }) =>
        useResumableUpload({
          url,
          transport: server.transport,
          chunkSize: 10,
          concurrency: 1,
          conditions: [{ prop: 'filesize', operator: '<=', value: 100 }],
        }),
      { initialProps: { url: async () => 'http://upload.test/old' } },
    )
    const latest = vi.fn(async () => 'http://upload.test/new')
    rerender({ url: latest })
    void act(() => void result.current.upload(bytes(25)))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(latest).toHaveBeenCalledTimes(1)
    expect(server.pending[0]?.request.url).toBe('http://upload.test/new')
    // Guards a bug: every setOptions re-resolves the core's options, which sweeps localStorage.
    const sweep = vi.spyOn(Storage.prototype, 'key')
    for (let i = 0; i < 5; i++) rerender({ url: async () => 'http://upload.test/inline' })
    expect(sweep).not.toHaveBeenCalled()
    sweep.mockRestore()
    localStorage.clear()
  })

  it('retry() continues from the acknowledged parts instead of starting over', async () => {
    const server = fakeServer({ hold: true })
    const { result } = renderHook(() => useResumableUpload(base(server)))
    void act(() => void result.current.upload(bytes(25)))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    await act(async () => server.next().release()) // part 0 acknowledged
    await waitFor(() => expect(server.pending).toHaveLength(1))
    await act(async () => server.next().fail(400)) // part 1 refused for good
    await waitFor(() => expect(result.current.status).toBe('error'))
    expect(result.current.error?.code).toBe('http_error')

    act(() => void result.current.retry())
    await waitFor(() => expect(server.pending).toHaveLength(1))
    expect(server.parts()).toEqual([0, 1, 1])
    expect(result.current.bytesUploaded).toBe(10)
  })

  it('reset() cancels the running upload and goes back to idle', async () => {
    const server = fakeServer({ hold: true })
    const { result } = renderHook(() => useResumableUpload(base(server)))
    let outcome: Promise<unknown> = Promise.resolve()
    act(() => {
      outcome = result.current.upload(bytes(25))
    })
    await waitFor(() => expect(server.pending).toHaveLength(1))
    act(() => result.current.reset())
    expect(result.current).toMatchObject({ status: 'idle', file: null })
    await expect(outcome).rejects.toMatchObject({ code: 'cancelled' })
    expect(server.pending[0]?.request.signal.aborted).toBe(true)
  })

  it('rejects upload() at once for options the core refuses, and stays idle', async () => {
    const server = fakeServer()
    const { result } = renderHook(() => useResumableUpload({ ...base(server), chunkSize: 0 }))
    await expect(result.current.upload(bytes(5))).rejects.toMatchObject({ code: 'invalid_options' })
    expect(result.current.status).toBe('idle')
    expect(server.requests).toHaveLength(0)
  })

  it('pauses a running upload when the component unmounts, and sends nothing more', async () => {
    const server = fakeServer({ hold: true })
    const { result, unmount } = renderHook(() => useResumableUpload(base(server)))
    void act(() => void result.current.upload(bytes(25)))
    await waitFor(() => expect(server.pending).toHaveLength(1))
    const inFlight = server.pending[0]
    unmount()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(inFlight?.request.signal.aborted).toBe(true)
    expect(server.requests).toHaveLength(1)
  })
})
