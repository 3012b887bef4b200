/** One HTTP request as the engine needs it: a body, upload progress, and an abort. */
export interface TransportRequest {
  method: 'PUT' | 'POST'
  url: string
  headers: Record<string, string>
  body: Blob | FormData | string
  /** Called with the bytes of the body sent so far. */
  onProgress?: (loaded: number) => void
  signal: AbortSignal
  /** Abort when neither upload nor download shows progress for this long (ms). 0: never. */
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
  constructor(
    readonly reason: TransportFailureReason,
    message: string,
  ) {
    super(message)
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
    const xhr = new XMLHttpRequest()
    let stallTimer: ReturnType<typeof setTimeout> | undefined
    let settled = false

    const finish = (settle: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(stallTimer)
      request.signal.removeEventListener('abort', onAbort)
      settle()
    }
    const armStallTimer = (): void => {
      if (request.stallTimeoutMs <= 0) return
      clearTimeout(stallTimer)
      stallTimer = setTimeout(() => {
        xhr.abort()
        finish(() =>
          reject(new TransportFailure('stalled', `No progress for ${request.stallTimeoutMs} ms`)),
        )
      }, request.stallTimeoutMs)
    }
    const onAbort = (): void => {
      xhr.abort()
      finish(() => reject(new TransportFailure('aborted', 'The request was aborted')))
    }

    if (request.signal.aborted) {
      reject(new TransportFailure('aborted', 'The request was aborted'))
      return
    }
    request.signal.addEventListener('abort', onAbort)
    xhr.open(request.method, request.url)
    for (const [name, value] of Object.entries(request.headers)) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => {
      armStallTimer()
      request.onProgress?.(event.loaded)
    }
    xhr.onprogress = armStallTimer
    xhr.onload = () =>
      finish(() =>
        resolve({
          status: xhr.status,
          body: xhr.responseText,
          retryAfter: xhr.getResponseHeader('Retry-After'),
        }),
      )
    xhr.onerror = () =>
      finish(() => reject(new TransportFailure('network', 'The connection failed')))
    xhr.send(request.body)
    armStallTimer()
  })
