import { type Transport, TransportFailure } from '../../src/core/transport.ts'

/**
 * The core's transport on Node's fetch, for tests that drive a real upload from Node (the
 * cluster tests: no browser, real servers). Every failure to get an answer is a
 * TransportFailure, as with XHR, so the engine retries it; `onSent` hears each request as it
 * goes out, so a test can act while a part is in flight. Progress is reported when a request
 * ends: enough for tests, which assert on what the servers hold.
 */
export function fetchTransport(onSent?: (method: string, index: string | null) => void): Transport {
  return async (request) => {
    const controller = new AbortController()
    const onAbort = () => controller.abort()
    if (request.signal.aborted) throw new TransportFailure('aborted', 'The request was aborted')
    request.signal.addEventListener('abort', onAbort)
    const stall =
      request.stallTimeoutMs > 0
        ? setTimeout(() => controller.abort(), request.stallTimeoutMs)
        : undefined
    try {
      onSent?.(request.method, request.headers['X-Upload-Index'] ?? null)
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      })
      const body = await response.text()
      if (request.body instanceof Blob) request.onProgress?.(request.body.size)
      return { status: response.status, body, retryAfter: response.headers.get('Retry-After') }
    } catch {
      if (request.signal.aborted) throw new TransportFailure('aborted', 'The request was aborted')
      throw new TransportFailure('network', 'The connection failed')
    } finally {
      clearTimeout(stall)
      request.signal.removeEventListener('abort', onAbort)
    }
  }
}
