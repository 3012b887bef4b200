/**
 * Experimental transports for the tuning runs (`--experiments`), through the core's
 * `transport` seam: they tell what XHR and its progress events cost against alternatives.
 * Not for production: no stall timer, and errors are plain ones.
 */
import type { Transport, TransportRequest, TransportResponse } from '../../src/core/index.ts'

/** fetch: no upload progress at all in Chromium (over HTTP/1.1), so none is reported. */
export const fetchTransport: Transport = async (request) => {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
  })
  return {
    status: response.status,
    body: await response.text(),
    retryAfter: response.headers.get('Retry-After'),
  }
}

/** XHR with no `upload.onprogress` listener: Chromium then sends no progress to the page. */
export const quietXhrTransport: Transport = (request) => plainXhr(request, false)

/** XHR with progress reported, but no stall timer: what re-arming the timer costs. */
export const timerlessXhrTransport: Transport = (request) => plainXhr(request, true)

const plainXhr = (request: TransportRequest, progress: boolean): Promise<TransportResponse> =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    const onAbort = (): void => xhr.abort()
    request.signal.addEventListener('abort', onAbort)
    xhr.open(request.method, request.url)
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value)
    if (progress) xhr.upload.onprogress = (event) => request.onProgress?.(event.loaded)
    xhr.onload = () => {
      request.signal.removeEventListener('abort', onAbort)
      resolve({
        status: xhr.status,
        body: xhr.responseText,
        retryAfter: xhr.getResponseHeader('Retry-After'),
      })
    }
    xhr.onerror = xhr.onabort = () => {
      request.signal.removeEventListener('abort', onAbort)
      reject(new Error('The request failed'))
    }
    xhr.send(request.body)
  })
