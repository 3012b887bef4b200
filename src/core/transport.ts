/** One HTTP request as the engine needs it: a body, upload progress, and an abort. */
export interface TransportRequest {
  method: 'PUT' | 'POST'
  url: string
  headers: Record<string, string>
  body: Blob | FormData | string
  /** Called with the bytes of the body sent so far. */
  onProgress?: (loaded: number) => void
  signal: AbortSignal
  /**
   * Abort when the body shows no progress for this long (ms), and when the answer has not
   * fully arrived this long after the body was sent. 0: never.
   */
  stallTimeoutMs: number
}

export interface TransportResponse {
  status: number
  body: string
  /** `Retry-After`, when the server exposed it to this origin. */
  retryAfter: string | null
}

/** Why a request got no response. Both are worth a retry; an abort by the caller is not. */
export type TransportFailureReason = 'network' | 'stalled' | 'aborted'

export class TransportFailure extends Error {
  override readonly name = 'TransportFailure'
  /** Set by the constructor (declared only: no field initialiser shipped). */
  declare readonly reason: TransportFailureReason
  constructor(reason: TransportFailureReason, message: string) {
    super(message)
    this.reason = reason
  }
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>

/**
 * XHR, not fetch: fetch has no upload progress for a request body in Chromium without
 * streaming uploads (which need HTTP/2 and `duplex: 'half'`), and progress that only moves
 * when a whole part is acknowledged is progress that lies for big parts.
 */
export const xhrTransport: Transport = (request) =>
  new Promise((resolve, reject) => {
    const { signal, stallTimeoutMs, headers } = request
    const xhr = new XMLHttpRequest()
    let stallTimer: ReturnType<typeof setTimeout> | undefined

    // Settling twice is harmless (a promise keeps its first outcome), so no "settled" flag: each
    // ending only has to stop the timer and the abort listener.
    const settle = (done: () => void): void => {
      clearTimeout(stallTimer)
      signal.removeEventListener('abort', onAbort)
      done()
    }
    const fail = (reason: TransportFailureReason, message: string): void => {
      xhr.abort() // a no-op on a request that is already over
      settle(() => reject(new TransportFailure(reason, message)))
    }
    const armStallTimer = (): void => {
      if (stallTimeoutMs <= 0) return
      clearTimeout(stallTimer)
      stallTimer = setTimeout(
        () => fail('stalled', `No progress for ${stallTimeoutMs} ms`),
        stallTimeoutMs,
      )
    }
    const onAbort = (): void => fail('aborted', 'Aborted')

    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort)
    xhr.open(request.method, request.url)
    for (const name in headers) xhr.setRequestHeader(name, headers[name] as string)
    xhr.upload.onprogress = (event) => {
      armStallTimer()
      request.onProgress?.(event.loaded)
    }
    // Once the body is sent, the whole answer gets one deadline: an answer trickling a byte at
    // a time must not hold its part forever by re-arming the timer with each byte.
    xhr.upload.onload = armStallTimer
    xhr.onload = () =>
      settle(() =>
        resolve({
          status: xhr.status,
          body: xhr.responseText,
          retryAfter: xhr.getResponseHeader('Retry-After'),
        }),
      )
    xhr.onerror = () => fail('network', 'The connection failed')
    xhr.send(request.body)
    armStallTimer()
  })
