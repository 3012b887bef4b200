/**
 * What the Node side and the benchmark page share: the client configurations and the job and
 * outcome of one upload. Plain data only, since it crosses into the page as JSON.
 */

/** One way of sending the file, as a row of the results table. */
export type ClientSpec =
  /**
   * One PUT of the whole file to the lean raw endpoint, nothing else. `via` the API (fetch by
   * default); `slice` sends `file.slice()` instead of the File (an experiment: a Blob has no
   * path, so Chromium sends it through the blob system, as it sends every part); `progress`
   * listens to XHR upload progress (an experiment: what Chromium's progress reports cost).
   */
  | { id: string; kind: 'ceiling'; via?: 'fetch' | 'xhr'; slice?: true; progress?: true }
  /**
   * `chunkSize`/`concurrency` left out means the library's own defaults. `transport` and
   * `resume` are tuning experiments: another transport through the core's seam, no resume record.
   * Without `route`, the upload goes to one server (with `--nodes 2`, one node directly).
   */
  | {
      id: string
      kind: 'partwise'
      chunkSize?: number
      concurrency?: number
      transport?: 'fetch' | 'xhr-no-progress' | 'xhr-no-timers'
      resume?: false
      /** `--nodes 2`: through nginx to two nodes (the session is made there too). */
      route?: 'balancer'
    }
  /** UpChunk counts its chunk size in KiB; `dynamic` lets it grow chunks that go fast. */
  | { id: string; kind: 'upchunk'; chunkKiB: number; dynamic: boolean }
  /** `chunkSize` null: tus-js-client's default, the whole file as one PATCH. */
  | { id: string; kind: 'tus'; chunkSize: number | null }

export type ClientKind = ClientSpec['kind']

/** A session's `part_limits` (docs/PROTOCOL.md §2e), as the reference server on S3 sends them. */
export type PartLimits = Record<string, number>

/** What the page is told before the file is picked. */
export interface PageJob {
  client: ClientSpec
  /** The raw PUT target, the upload URL, or the tus creation endpoint. */
  url: string
  /**
   * partwise only: the session's `part_limits`, when it had any (a store with limits: S3). The
   * page hands the session to createUpload whole, as the README tells an app to.
   */
  partLimits?: PartLimits
  /** partwise only: keep a resume record in localStorage (its default). */
  resume: boolean
  /**
   * partwise only: the page reloads itself once this fraction of the file is uploaded, as a
   * user pressing F5 would (the harness cannot react fast enough on a small file). null: never.
   */
  reloadAt: number | null
}

export interface LongTaskSummary {
  count: number
  totalMs: number
  maxMs: number
}

/** What the page reports once the upload settled. */
export interface PageOutcome {
  ok: boolean
  error: string | null
  /** Epoch milliseconds (sub-millisecond precision) of the input's `change` event. */
  pickedAt: number
  /** Epoch milliseconds when the upload settled. */
  endedAt: number
  /** Where the server keeps the bytes: a media id, a tus upload URL, or null. */
  remoteId: string | null
  /** When the client made its first request (fetch or XHR send), epoch ms; null if none. */
  firstSendAt: number | null
  /** Main-thread long tasks between the pick and the end. */
  longTasks: LongTaskSummary
}

/** The page's API, as `window.__bench`. */
export interface BenchPageApi {
  /** Random per document: tells a reloaded page from the one before. */
  readonly documentId: string
  /** Sets what the next pick uploads; resolves once the page listens for it. */
  arm(job: PageJob): void
  /** Resolves with the outcome of the armed upload. */
  done(): Promise<PageOutcome>
  /** partwise's stored resume record for `url` (after a reload): the acknowledged part indexes. */
  storedParts(url: string): number[]
  /** When the page reloaded itself (epoch ms), or null if it did not. */
  reloadedAt(): number | null
}
