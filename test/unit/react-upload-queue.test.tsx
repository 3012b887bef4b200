import { afterEach, describe, expect, it, vi } from 'vitest'
import { frameThrottle } from '../../src/react/frame-throttle.ts'
import type { UploadQueueOptions } from '../../src/react/index.ts'
import { UploadQueue } from '../../src/react/upload-queue.ts'
import { bytes, fakeServer } from './react-fake-server.ts'

/** The queue store on its own, without React: the scheduling rules `<Upload multiple>` shows. */
type Server = ReturnType<typeof fakeServer>
const queueOf = (server: Server, extra: Partial<UploadQueueOptions> = {}) =>
  new UploadQueue({
    url: 'http://upload.test/u',
    transport: server.transport,
    resume: false,
    chunkSize: 10,
    concurrency: 1,
    ...extra,
  })
const statuses = (queue: UploadQueue) =>
  queue.getSnapshot().items.map((i) => (i.queued ? 'queued' : i.status))
const tick = () => new Promise((resolve) => setTimeout(resolve, 20))

afterEach(() => {
  vi.useRealTimers()
})

describe('UploadQueue', () => {
  it('uploads `parallelFiles` at a time and starts the next when one ends', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 2 })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b'), bytes(5, 'c')])
    await tick()
    expect(statuses(queue)).toEqual(['uploading', 'uploading', 'queued'])
    const releaseAll = async () => {
      for (const request of server.pending.splice(0)) request.release()
      await tick()
    }
    await releaseAll() // the parts of a and b
    expect(statuses(queue)).toEqual(['completing', 'completing', 'queued'])
    await releaseAll() // their completions
    expect(statuses(queue)).toEqual(['success', 'success', 'uploading'])
  })

  it('lets a paused file keep its place', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 1 })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b')])
    await tick()
    queue.getSnapshot().items[0]?.pause()
    await tick()
    expect(statuses(queue)).toEqual(['paused', 'queued'])
  })

  it('never sends a waiting file that is cancelled, and reports it cancelled', async () => {
    const server = fakeServer({ hold: true })
    const onFileResult = vi.fn()
    const queue = queueOf(server, { parallelFiles: 1, onFileResult })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b')])
    queue.getSnapshot().items[1]?.cancel()
    await tick()
    expect(statuses(queue)).toEqual(['uploading', 'cancelled'])
    expect(onFileResult).toHaveBeenCalledWith(expect.objectContaining({ status: 'cancelled' }))
    expect(server.requests).toHaveLength(1)
  })

  it('remove() cancels a running file and gives its place to the next', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 1 })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b')])
    await tick()
    const running = server.pending[0]
    queue.getSnapshot().items[0]?.remove()
    await tick()
    expect(running?.request.signal.aborted).toBe(true)
    expect(statuses(queue)).toEqual(['uploading'])
  })

  it('calls onComplete once all files have ended, and again after a retry ends', async () => {
    const server = fakeServer({ hold: true })
    const onComplete = vi.fn()
    const queue = queueOf(server, { onComplete })
    queue.actions.add([bytes(5, 'a')])
    await tick()
    server.next().fail(400)
    // The refusal's words come from the core's lazy chunk, loaded on this first failure.
    await vi.waitFor(() => expect(onComplete).toHaveBeenCalledTimes(1))
    expect(onComplete.mock.calls[0]?.[0]).toMatchObject([{ status: 'error' }])
    queue.getSnapshot().items[0]?.retry()
    await tick()
    server.next().release()
    await tick()
    server.next().release()
    await tick()
    expect(onComplete).toHaveBeenCalledTimes(2)
    expect(onComplete.mock.calls[1]?.[0]).toMatchObject([{ status: 'success' }])
  })

  it('keeps the same item object for a file that did not change', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 1 })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b')])
    await tick()
    const [a, b] = queue.getSnapshot().items
    a?.pause()
    await tick()
    const [pausedA, stillB] = queue.getSnapshot().items
    expect(pausedA).not.toBe(a)
    expect(pausedA?.status).toBe('paused')
    expect(stillB).toBe(b) // a row memoised on its item does not re-render
  })

  it('refuses files beyond `maxFiles`', () => {
    const queue = queueOf(fakeServer({ hold: true }), { maxFiles: 2 })
    const refused = queue.actions.add([bytes(1, 'a'), bytes(1, 'b'), bytes(1, 'c')])
    expect(refused.map((f) => (f as File).name)).toEqual(['c'])
    expect(queue.getSnapshot().items).toHaveLength(2)
  })
})

describe('frameThrottle()', () => {
  it('publishes progress at most once a frame, and a state change at once', () => {
    vi.useFakeTimers()
    const publish = vi.fn()
    const emit = frameThrottle(publish)
    emit(false)
    expect(publish).toHaveBeenCalledTimes(1) // the first goes through
    for (let i = 0; i < 100; i++) emit(false)
    expect(publish).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(16)
    expect(publish).toHaveBeenCalledTimes(2) // the 100 became one
    emit(true)
    expect(publish).toHaveBeenCalledTimes(3)
  })
})
