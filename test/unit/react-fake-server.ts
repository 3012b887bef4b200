import type { Transport, TransportRequest, TransportResponse } from '../../src/core/index.ts'

/**
 * A transport that answers like the reference server, in memory: parts get an etag, the
 * completion a media object. With `hold`, every request waits for `release()` or `fail()`, so a
 * test can look at the UI in the middle of an upload.
 */
export interface Pending {
  request: TransportRequest
  release(): void
  fail(status: number): void
}

export function fakeServer({ hold = false }: { hold?: boolean } = {}) {
  const requests: TransportRequest[] = []
  const pending: Pending[] = []

  const answer = (request: TransportRequest): TransportResponse => {
    if (request.method === 'PUT') {
      const index = Number(request.headers['X-Upload-Index'])
      request.onProgress?.((request.body as Blob).size)
      return {
        status: 200,
        body: JSON.stringify({ data: { index, etag: `e${index}` } }),
        retryAfter: null,
      }
    }
    // No filesize: the fake does not know which upload a completion ends, and a wrong size is
    // refused as a protocol error.
    const media = { id: `med_${requests.length}`, object: 'media' }
    return { status: 200, body: JSON.stringify({ data: media }), retryAfter: null }
  }

  const transport: Transport = (request) => {
    requests.push(request)
    if (!hold) return Promise.resolve(answer(request))
    return new Promise((resolve) => {
      pending.push({
        request,
        release: () => resolve(answer(request)),
        fail: (status) => resolve({ status, body: '{}', retryAfter: null }),
      })
    })
  }

  return {
    transport,
    requests,
    pending,
    /** The part indexes sent, in order. */
    parts: () =>
      requests.filter((r) => r.method === 'PUT').map((r) => Number(r.headers['X-Upload-Index'])),
    /** Answers the oldest waiting request. */
    next: (): Pending => {
      const first = pending.shift()
      if (!first) throw new Error('no request is waiting')
      return first
    },
  }
}

export const bytes = (size: number, name = 'data.bin', type = 'application/octet-stream'): File =>
  new File([new Uint8Array(size).fill(7)], name, { type, lastModified: 1_700_000_000_000 })
