/** One request as the control API reports it. */
export interface RequestRecord {
  method: string
  path: string
  /** `X-Upload-Index` when it was a valid index, else null. */
  index: number | null
  /** The status sent; 0 while in flight, or when the connection closed before the answer was out. */
  status: number
  /** Epoch milliseconds. */
  startedAt: number
  /** Epoch milliseconds; 0 while the request is in flight. */
  endedAt: number
  /** True when a fault rule fired on this request. */
  faulted: boolean
}

export interface UploadStats {
  /** Every upload body byte read (part PUTs and simple-upload POSTs, refused ones included). */
  bytesReceived: number
  requests: RequestRecord[]
  /** The most part PUTs that were in flight at once. */
  maxConcurrentParts: number
  completions: number
}

/** Bounds memory over a long benchmark; the oldest records go first. */
const MAX_RECORDS = 20_000

export class StatsRecorder {
  #bytesReceived = 0
  #requests: RequestRecord[] = []
  #partsInFlight = 0
  #maxConcurrentParts = 0
  #completions = 0

  addBytes(bytes: number): void {
    this.#bytesReceived += bytes
  }

  partStarted(): void {
    this.#partsInFlight += 1
    this.#maxConcurrentParts = Math.max(this.#maxConcurrentParts, this.#partsInFlight)
  }

  partEnded(): void {
    this.#partsInFlight -= 1
  }

  completed(): void {
    this.#completions += 1
  }

  /**
   * Lists a request as it arrives and returns its record, which the caller completes when the
   * request ends. Listing in arrival order (not completion order) means a snapshot taken at
   * some moment splits requests into "started before" and "started after" it; a late-ending
   * request from before cannot appear among the later ones.
   */
  begin(method: string, path: string, index: number | null): RequestRecord {
    const record = {
      method,
      path,
      index,
      status: 0,
      startedAt: Date.now(),
      endedAt: 0,
      faulted: false,
    }
    this.#requests.push(record)
    if (this.#requests.length > MAX_RECORDS) this.#requests.shift()
    return record
  }

  /** Forgets everything measured; parts in flight stay counted so the gauge stays true. */
  reset(): void {
    this.#bytesReceived = 0
    this.#requests = []
    this.#maxConcurrentParts = this.#partsInFlight
    this.#completions = 0
  }

  snapshot(): UploadStats {
    return {
      bytesReceived: this.#bytesReceived,
      requests: this.#requests.map((request) => ({ ...request })),
      maxConcurrentParts: this.#maxConcurrentParts,
      completions: this.#completions,
    }
  }
}
