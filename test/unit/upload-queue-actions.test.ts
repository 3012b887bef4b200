import { describe, expect, it, vi } from 'vitest'
import type { UploadSnapshot } from '../../src/core/index.ts'
import type { UploadContext, UploadQueueOptions } from '../../src/react/index.ts'
import { queueView } from '../../src/ui/queue-actions.ts'
import { type Entry, summarise } from '../../src/ui/queue-summary.ts'
import { IDLE_STATE } from '../../src/ui/state.ts'
import { Throughput } from '../../src/ui/throughput.ts'
import { defaultUploadMessages } from '../../src/ui/ui-messages.ts'
import { UploadQueue } from '../../src/ui/upload-queue.ts'
import { bytes, fakeServer } from './react-fake-server.ts'

/**
 * The queue's own line: what counts toward "done", manual start, the bulk actions and
 * `beforeUpload`, on the queue store without React (the fake server answers in memory).
 */
type Server = ReturnType<typeof fakeServer>
const URL = 'http://upload.test/u'
const queueOf = (server: Server, extra: Partial<UploadQueueOptions> = {}) =>
  new UploadQueue({
    url: URL,
    transport: server.transport,
    resume: false,
    chunkSize: 10,
    concurrency: 1,
    ...extra,
  })
const statuses = (queue: UploadQueue) =>
  queue.getSnapshot().items.map((i) => (i.queued ? 'queued' : i.status))
const names = (queue: UploadQueue) => queue.getSnapshot().items.map((i) => i.name)
const tick = () => new Promise((resolve) => setTimeout(resolve, 20))
/** At most 8 bytes: a 5-byte file passes, a 50-byte one is refused. */
const SMALL = [{ prop: 'filesize', operator: '<=', value: 8 }] as const
const conditions = [...SMALL]
const controls = (queue: UploadQueue, multiple = true) =>
  queueView(
    { ...queue.getSnapshot(), ...queue.actions },
    defaultUploadMessages,
    multiple,
  ).controls.map(([key]) => key)
const summary = (queue: UploadQueue) =>
  queueView({ ...queue.getSnapshot(), ...queue.actions }, defaultUploadMessages, true).summary

describe('what counts toward the queue being done', () => {
  it('leaves a refused file out: the bar reaches 100 % and the queue is a success', async () => {
    const server = fakeServer()
    const queue = queueOf(server, { conditions })
    queue.actions.add([bytes(50, 'big.bin'), bytes(5, 'small.bin')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['error', 'success']))
    const state = queue.getSnapshot()
    expect(state.items[0]?.error?.code).toBe('conditions_failed')
    expect(state).toMatchObject({ filesTotal: 1, filesUploaded: 1, bytesTotal: 5, progress: 1 })
    expect(state.status).toBe('success')
    expect(summary(queue)).toBe('1 of 1 uploaded')
  })

  it('leaves cancelled files out, and calls a queue of refusals alone an error', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { conditions, parallelFiles: 1 })
    queue.actions.add([bytes(50, 'big.bin'), bytes(5, 'small.bin')])
    await vi.waitFor(() => expect(statuses(queue)[0]).toBe('error'))
    queue.getSnapshot().items[1]?.cancel()
    await tick()
    expect(queue.getSnapshot()).toMatchObject({ filesTotal: 0, bytesTotal: 0, status: 'error' })
  })
})

describe('autoStart: false', () => {
  it('sends nothing until start(), and counts the files as held, not uploading', async () => {
    const server = fakeServer()
    const queue = queueOf(server, { autoStart: false })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b')])
    await tick()
    expect(server.requests).toHaveLength(0)
    expect(queue.getSnapshot()).toMatchObject({ filesHeld: 2, filesTotal: 2, status: 'idle' })
    expect(controls(queue)).toEqual(['start', 'cancel'])
    queue.actions.start()
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success', 'success']))
    expect(queue.getSnapshot().filesHeld).toBe(0)
    expect(controls(queue)).toEqual(['clear'])
  })

  it('checks the conditions as files are added: a refusal shows before start()', async () => {
    const server = fakeServer()
    const url = vi.fn(() => URL)
    const queue = queueOf(server, { autoStart: false, conditions, url })
    queue.actions.add([bytes(50, 'big.bin'), bytes(5, 'small.bin')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['error', 'queued']))
    expect(url).not.toHaveBeenCalled()
    expect(server.requests).toHaveLength(0)
    expect(queue.getSnapshot()).toMatchObject({ filesHeld: 1, status: 'idle' })
  })

  it('starts held files when autoStart turns true', async () => {
    const server = fakeServer()
    const queue = queueOf(server, { autoStart: false })
    queue.actions.add([bytes(5, 'a')])
    await tick()
    queue.setOptions({ url: URL, transport: server.transport, resume: false, chunkSize: 10 })
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success']))
  })
})

describe('bulk actions', () => {
  it('retryAll() puts every failed file back in line, not the refused ones', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { conditions })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b'), bytes(50, 'big')])
    await vi.waitFor(() => expect(server.pending).toHaveLength(2))
    server.next().fail(400)
    server.next().fail(400)
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['error', 'error', 'error']))
    expect(controls(queue)).toEqual(['retry', 'clear'])
    queue.actions.retryAll()
    expect(statuses(queue)).toEqual(['uploading', 'uploading', 'error'])
    await vi.waitFor(() => expect(server.pending).toHaveLength(2))
    for (const request of server.pending.splice(0)) request.release()
    await vi.waitFor(() => expect(server.pending).toHaveLength(2)) // the completions
    for (const request of server.pending.splice(0)) request.release()
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success', 'success', 'error']))
  })

  it('cancelAll() cancels running and waiting files and leaves ended ones alone', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 1, conditions })
    queue.actions.add([bytes(5, 'a'), bytes(5, 'b'), bytes(50, 'big')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['uploading', 'queued', 'error']))
    queue.actions.cancelAll()
    await tick()
    expect(statuses(queue)).toEqual(['cancelled', 'cancelled', 'error'])
    expect(server.requests).toHaveLength(1)
    expect(controls(queue)).toEqual(['clear'])
  })

  it('clearFinished() removes uploaded, cancelled and refused files, and keeps the rest', async () => {
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { conditions })
    queue.actions.add([bytes(5, 'done'), bytes(5, 'failed'), bytes(5, 'gone'), bytes(50, 'big')])
    await vi.waitFor(() => expect(server.pending).toHaveLength(3))
    server.next().release() // done's part
    server.next().fail(400) // failed's part
    server.next() // gone's part, aborted by the cancel
    queue.getSnapshot().items[2]?.cancel()
    await vi.waitFor(() => expect(server.pending).toHaveLength(1)) // done's completion
    server.next().release()
    await vi.waitFor(() =>
      expect(statuses(queue)).toEqual(['success', 'error', 'cancelled', 'error']),
    )
    queue.actions.clearFinished()
    expect(names(queue)).toEqual(['failed'])
  })
})

describe('beforeUpload', () => {
  it('renames the file and gives its metadata to the url function', async () => {
    const server = fakeServer()
    const url = vi.fn((_file: Blob, _context: UploadContext) => URL)
    const queue = queueOf(server, {
      url,
      beforeUpload: async (file) => ({ name: `2026-${file.name}`, metadata: { album: 'x' } }),
    })
    queue.actions.add([bytes(5, 'a.bin')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success']))
    expect(names(queue)).toEqual(['2026-a.bin'])
    const [file, context] = url.mock.calls[0] ?? []
    expect((file as File).name).toBe('2026-a.bin')
    expect(context).toEqual({ metadata: { album: 'x' } })
  })

  it('gives the url function empty metadata without a hook', async () => {
    const url = vi.fn((_file: Blob, _context: UploadContext) => URL)
    const queue = queueOf(fakeServer(), { url })
    queue.actions.add([bytes(5, 'a.bin')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success']))
    expect(url.mock.calls[0]?.[1]).toEqual({ metadata: {} })
  })

  it('refuses a file with the reason given, or thrown: nothing sent, not retried, not counted', async () => {
    const server = fakeServer()
    const onError = vi.fn()
    const queue = queueOf(server, {
      onError,
      beforeUpload: (file) => {
        if (file.name === 'thrown.bin') throw new Error('Could not read the album')
        return file.name === 'no.bin' ? { refuse: 'Not in this album' } : undefined
      },
    })
    queue.actions.add([bytes(5, 'no.bin'), bytes(5, 'thrown.bin'), bytes(5, 'yes.bin')])
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['error', 'error', 'success']))
    const [no, thrown] = queue.getSnapshot().items
    expect(no?.error?.message).toBe('Not in this album')
    expect(thrown?.error?.message).toBe('Could not read the album')
    expect(onError).toHaveBeenCalledTimes(2)
    no?.retry()
    queue.actions.retryAll()
    await tick()
    expect(statuses(queue)).toEqual(['error', 'error', 'success'])
    expect(server.requests).toHaveLength(2) // yes.bin's part and completion only
    expect(queue.getSnapshot()).toMatchObject({ filesTotal: 1, filesUploaded: 1, progress: 1 })
  })

  it('holds a file until its async answer, and then until start() without autoStart', async () => {
    const server = fakeServer()
    let answer: (value: { name: string }) => void = () => undefined
    const queue = queueOf(server, {
      autoStart: false,
      beforeUpload: () => new Promise((resolve) => (answer = resolve)),
    })
    queue.actions.add([bytes(5, 'a.bin')])
    await tick()
    answer({ name: 'b.bin' })
    await tick()
    expect(names(queue)).toEqual(['b.bin'])
    expect(server.requests).toHaveLength(0)
    queue.actions.start()
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success']))
  })
})

describe('the time left', () => {
  it('is unknown until the queue has measured its speed over a second', () => {
    const meter = new Throughput()
    meter.add(1000, 0)
    meter.add(1000, 500)
    expect(meter.rate()).toBe(0)
    meter.add(1000, 1000)
    expect(meter.rate()).toBe(2000) // 2,000 bytes over the second after the first sample
  })

  it('starts afresh after a silence longer than its window', () => {
    const meter = new Throughput()
    meter.add(1000, 0)
    meter.add(1000, 1000)
    meter.add(1000, 60_000) // back after a minute offline
    expect(meter.rate()).toBe(0)
    meter.add(5000, 61_000)
    expect(meter.rate()).toBe(5000)
  })

  it('measures the last seconds only, and starts afresh after a reset', () => {
    const meter = new Throughput()
    for (let t = 0; t <= 20_000; t += 1000) meter.add(t < 10_000 ? 100 : 1000, t)
    expect(meter.rate()).toBe(1000)
    meter.reset()
    meter.add(500, 30_000)
    expect(meter.rate()).toBe(0)
  })

  it('goes on from one file to the next: the queue measures itself, not each file', async () => {
    let now = 0
    const server = fakeServer({ hold: true })
    const queue = queueOf(server, { parallelFiles: 1, now: () => now })
    queue.actions.add([bytes(20, 'a'), bytes(20, 'b')])
    await vi.waitFor(() => expect(server.pending).toHaveLength(1))
    server.next().release() // a's first 10 bytes, at 0 s
    await vi.waitFor(() => expect(server.pending).toHaveLength(1))
    now = 1000
    server.next().release() // its last 10, at 1 s: 10 bytes/s
    await vi.waitFor(() => expect(server.pending).toHaveLength(1))
    server.next().release() // a's completion; b starts
    await vi.waitFor(() => expect(statuses(queue)).toEqual(['success', 'uploading']))
    await tick()
    expect(queue.getSnapshot()).toMatchObject({ speed: 10, timeRemaining: 2 }) // b's 20 bytes
  })

  it('is said in the summary only once known', () => {
    const m = defaultUploadMessages
    expect(m.summary(2, 3, null)).toBe('2 of 3 uploaded')
    expect(m.summary(2, 3, 19.2)).toBe('2 of 3 uploaded · 20 s left')
  })
})

describe('summarise(): the time left never counts bytes that will not move by themselves', () => {
  const entry = (
    id: string,
    seen: Partial<UploadSnapshot>,
    flags: Partial<Pick<Entry, 'queued' | 'held'>> = {},
  ): Entry => ({
    id,
    upload: {} as Entry['upload'],
    controls: {} as Entry['controls'],
    file: null,
    unsubscribe: () => undefined,
    queued: false,
    held: false,
    preparing: false,
    seen: { ...IDLE_STATE, file: new Blob(), ...seen } as UploadSnapshot,
    made: null,
    ...flags,
  })
  const sending = entry('1', { status: 'uploading', bytesUploaded: 100, bytesTotal: 1100 })
  const failed = entry('2', { status: 'error', bytesUploaded: 0, bytesTotal: 5000 })
  const waiting = entry('3', { bytesTotal: 1000 }, { queued: true })

  it('counts the files sending and those waiting their turn, not a failed one', () => {
    expect(summarise([sending, failed, waiting], 100, false).timeRemaining).toBe(20)
  })

  it('leaves out files held for start()', () => {
    const held = entry('3', { bytesTotal: 1000 }, { queued: true, held: true })
    expect(summarise([sending, held], 100, true).timeRemaining).toBe(10)
  })

  it('is null while the speed is unmeasured or nothing is sending', () => {
    expect(summarise([sending], 0, false).timeRemaining).toBeNull()
    expect(summarise([failed, waiting], 100, false).timeRemaining).toBeNull()
  })
})
