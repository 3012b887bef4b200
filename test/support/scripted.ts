import type { TransportRequest, TransportResponse } from '../../src/core/index.ts'

/** A transport whose every request waits until the test answers it, or fails it. */
export interface Call {
  request: TransportRequest
  respond(response: Partial<TransportResponse> & { status: number }): void
  fail(): void
}

export function scriptedTransport() {
  const calls: Call[] = []
  const transport = (request: TransportRequest) =>
    new Promise<TransportResponse>((resolve, reject) => {
      calls.push({
        request,
        respond: (r) => resolve({ body: '', retryAfter: null, ...r }),
        fail: () => reject(new (class extends Error {})('network')),
      })
    })
  return { calls, transport }
}

export const partOk = (index: number) => ({
  status: 200,
  body: JSON.stringify({ data: { index, etag: `e${index}` } }),
})
export const media = {
  status: 200,
  body: JSON.stringify({ data: { id: 'med_1', object: 'media' } }),
}
