import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createUpload } from '../../src/core/index.ts'
import { TransportFailure, xhrTransport } from '../../src/core/transport.ts'
import { scriptedTransport } from '../support/scripted.ts'

// A Retry-After header is read by the lazy chunk (src/core/lazy.ts): loaded once here, so that
// under fake timers the backoff starts when the answer comes, as it does in a page that has it.
beforeAll(() => import('../../src/core/lazy.ts'))

/** Retries and timeouts against a server that answers strangely (#13 items 7, 8). */
const flush = () => vi.advanceTimersByTimeAsync(0)

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('Retry-After (item 8)', () => {
  it.each([
    ['0', '0'],
    ['a date in the past', new Date(Date.now() - 60_000).toUTCString()],
  ])('waits out the backoff when it says %s', async (_, retryAfter) => {
    const { calls, transport } = scriptedTransport()
    const upload = createUpload(new Blob(['abc']), {
      url: 'u',
      transport,
      resume: false,
      random: () => 0.5,
      retryBaseDelayMs: 1000,
    })
    void upload.start()
    await flush()
    calls[0]?.respond({ status: 503, retryAfter })
    await vi.advanceTimersByTimeAsync(749) // the backoff: ceiling 1000, half + 0.5 of half
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(calls).toHaveLength(2)
    upload.cancel()
  })
})

/** Just enough of XMLHttpRequest for the transport: the test fires its events by hand. */
class FakeXhr {
  static last: FakeXhr | undefined
  upload: { onprogress: ((e: { loaded: number }) => void) | null; onload: (() => void) | null } = {
    onprogress: null,
    onload: null,
  }
  onprogress: (() => void) | null = null
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  status = 0
  responseText = ''
  constructor() {
    FakeXhr.last = this
  }
  open() {}
  setRequestHeader() {}
  send() {}
  abort() {}
  getResponseHeader() {
    return null
  }
}

describe('an answer that trickles forever (item 7)', () => {
  it('gets one deadline once the body is sent, which trickled bytes do not extend', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    const answer = xhrTransport({
      method: 'PUT',
      url: 'u',
      headers: {},
      body: 'abc',
      signal: new AbortController().signal,
      stallTimeoutMs: 30_000,
    }).catch((error: unknown) => error)
    const xhr = FakeXhr.last as FakeXhr
    xhr.upload.onprogress?.({ loaded: 3 })
    xhr.upload.onload?.()
    for (let s = 0; s < 29; s++) {
      await vi.advanceTimersByTimeAsync(1000)
      xhr.onprogress?.() // one more byte of the answer
    }
    await vi.advanceTimersByTimeAsync(1000)
    const failure = await answer
    expect(failure).toBeInstanceOf(TransportFailure)
    expect((failure as TransportFailure).reason).toBe('stalled')
  })
})

describe('a body that stops moving', () => {
  it('is aborted stallTimeoutMs after its last progress, however long it moved before', async () => {
    vi.stubGlobal('XMLHttpRequest', FakeXhr)
    let settled = false
    const answer = xhrTransport({
      method: 'PUT',
      url: 'u',
      headers: {},
      body: 'abc',
      signal: new AbortController().signal,
      stallTimeoutMs: 1000,
    })
      .catch((error: unknown) => error)
      .finally(() => {
        settled = true
      })
    const xhr = FakeXhr.last as FakeXhr
    // Five times the deadline of steady progress: the deadline follows the last move.
    for (let loaded = 1; loaded <= 50; loaded++) {
      await vi.advanceTimersByTimeAsync(100)
      xhr.upload.onprogress?.({ loaded })
    }
    await vi.advanceTimersByTimeAsync(999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const failure = await answer
    expect(failure).toBeInstanceOf(TransportFailure)
    expect((failure as TransportFailure).reason).toBe('stalled')
  })
})
