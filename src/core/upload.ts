import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { transition, type UploadEvent } from './machine.ts'
import { resolveOptions, type UploadOptions } from './options.ts'
import { createSpeedMeter } from './progress.ts'
import { claimRecord, type RecordClaim, resumeKey } from './resume-store.ts'
import { createSender, type PartSender, type SenderHost, URL_REFUSED } from './sender.ts'
import { enforce, resolveSession } from './session.ts'
import { isEnded, isFinal, isSending } from './status.ts'
import type { Media, Upload, UploadSnapshot, UploadStatus } from './types.ts'
import { toUploadError } from './upload-error.ts'

/** Progress reaches listeners at most this often; status changes reach them at once. */
const PROGRESS_INTERVAL_MS = 16
/**
 * How long a resume record is kept, by this browser's clock: never the server's `expires`, whose
 * clock may differ by hours. A URL that dies sooner is refused, and a fresh session takes over.
 */
const RECORD_LIFETIME_MS = 24 * 3600_000

/**
 * Creates an upload of `file`; nothing happens until `start()`. Events go through `dispatch`:
 * `transition` (machine.ts) decides the next status, and the side effects of a change follow in
 * `dispatch` alone. State lives in closure variables, not class fields: the methods can be
 * passed around unbound (`subscribe` and `getSnapshot` go straight to `useSyncExternalStore`),
 * and the bundle is smaller.
 */
export function createUpload(file: Blob, initial: UploadOptions): Upload {
  let raw = initial
  let options = resolveOptions(initial)
  let status: UploadStatus = 'idle'
  let error: UploadError | null = null
  let result: Media | null = null
  let shownBytes = 0
  let promise: Promise<Media> | null = null
  let settle: { resolve: (m: Media) => void; reject: (e: UploadError) => void } | null = null
  let sender: PartSender | null = null
  let url: string | null = null
  let expires = 0
  let resumed = false
  let freshSessionTaken = false
  /** This tab's hold on the file's resume record; null without a store (or in simple mode). */
  let claim: RecordClaim | null = null
  const speed = createSpeedMeter()
  const listeners = new Set<() => void>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const makeSnapshot = (): UploadSnapshot => {
    const progress = sender?.progress
    // Never shown going down, not even when a dead record gives way to a fresh session.
    shownBytes = Math.max(shownBytes, progress?.uploaded ?? 0)
    const total = file.size
    const rate = speed.speed
    return {
      status,
      file,
      bytesUploaded: shownBytes,
      bytesTotal: total,
      progress: total === 0 ? (progress?.complete ? 1 : 0) : shownBytes / total,
      speed: rate,
      timeRemaining: rate > 0 ? (total - shownBytes) / rate : null,
      partsTotal: sender?.parts.length ?? 0,
      partsAcknowledged: progress?.acknowledgedCount ?? 0,
      resumed,
      error,
      result,
    }
  }
  let snapshot = makeSnapshot()

  /** Something that matters changed: a new snapshot, and every listener told now. */
  const notify = (): void => {
    clearTimeout(timer)
    timer = undefined
    snapshot = makeSnapshot()
    for (const listener of [...listeners]) listener()
  }

  const newPromise = (): Promise<Media> => {
    const next = new Promise<Media>((resolve, reject) => {
      settle = { resolve, reject }
    })
    // A caller who only watches the snapshot must not see an unhandled rejection.
    next.catch(() => undefined)
    return next
  }

  /** The browser's `online` and `offline` events are the machine's events of the same names. */
  const onNetwork = (event: Event): void => dispatch(event.type as UploadEvent)
  const listen = (on: boolean): void => {
    if (typeof window === 'undefined') return
    const method = on ? 'addEventListener' : 'removeEventListener'
    window[method]('online', onNetwork)
    window[method]('offline', onNetwork)
  }

  /**
   * Every status change goes through here: the machine decides, then its side effects, all in
   * this one place: traffic held or let go, the promise settled, the record and the lock let go.
   */
  const dispatch = (event: UploadEvent): void => {
    const from = status
    const to = transition(from, event, sender !== null)
    if (to === from) return
    status = to
    // What stops comes before listeners hear of the change; what starts comes after.
    // Nothing may be sent any more: what is in flight is aborted, and goes back to the queue.
    if (!isSending(to) && to !== 'checking') sender?.interrupt()
    if (isFinal(to)) {
      // Cancelled or successful: nothing is left to resume, and the lock goes to whoever waits.
      claim?.forget()
      claim?.release()
      listen(false)
    }
    const pending = settle
    if (isEnded(to)) settle = null
    notify()
    if (to === 'checking' && from !== 'paused') {
      // Started, or retried without parts to go on from (paused: prepare() is still running).
      listen(true)
      void prepare()
    }
    if (to === 'uploading' && !isSending(from)) {
      // Going on after a pause, a lost connection or an error: idle time is not slowness.
      speed.restart()
      if (from === 'error') sender?.rearm()
      sender?.pump()
    }
    if (to === 'success') pending?.resolve(result as Media)
    if (to === 'error') pending?.reject(error as UploadError)
    if (to === 'cancelled')
      pending?.reject(new UploadError('cancelled', 'The upload was cancelled'))
  }

  const fail = (reason: unknown): void => {
    if (isEnded(status)) return
    error = toUploadError(reason)
    // A refused URL is dead: its record can only lead the next attempt astray.
    if (URL_REFUSED.has(error.status ?? 0)) claim?.forget()
    dispatch('fail')
  }

  // ---- preparation: resume record, session, conditions ----------------------------------

  const check = (conditions: Conditions | undefined): Promise<void> =>
    enforce(file, conditions, options.conditionMessages)

  const begin = (
    at: string,
    chunkSize: number,
    etags: ReadonlyMap<number, string>,
    confirmed: boolean,
  ): void => {
    url = at
    if (isFinal(status)) return
    sender = createSender(host, file, at, chunkSize, etags, confirmed)
    // A fresh session after a refused record: the upload is already on its way.
    if (status === 'checking') dispatch('ready')
    else sender.pump()
  }

  const openSession = async (): Promise<void> => {
    const { sessionTimeoutMs, chunkSize, now } = options
    const session = await resolveSession(options.url, file, sessionTimeoutMs)
    await check(session.conditions)
    expires = now() + RECORD_LIFETIME_MS
    begin(session.url, chunkSize, new Map(), true)
  }

  const prepare = async (): Promise<void> => {
    try {
      await check(options.conditions)
      const { store, mode, endpoint } = options
      // Asked once per upload: a retry keeps the hold it has.
      if (mode === 'resumable' && store) claim ??= claimRecord(store, resumeKey(file, endpoint))
      // Only a stored record needs the lock before going on: a fresh upload starts at once
      // (the lock's answer takes a few milliseconds) and keeps a record once the answer is yes.
      if (claim?.record) await claim.decided
      if (isFinal(status)) return
      const record = claim?.owned && claim.record
      if (!record) return await openSession()
      // Continues from the stored record: same URL, same part size, its parts still to confirm.
      resumed = true
      expires = record.expires
      const etags = new Map(Object.entries(record.parts).map(([i, etag]) => [Number(i), etag]))
      begin(record.url, record.chunkSize, etags, false)
    } catch (reason) {
      fail(reason)
    }
  }

  // ---- what the sender reports ----------------------------------------------------------

  const host: SenderHost = {
    get options() {
      return options
    },
    mayContinue: () => isSending(status) && globalThis.navigator?.onLine !== false,
    dispatch,
    progressed(acknowledged) {
      if (!sender) return
      speed.sample(sender.progress.uploaded, options.now())
      // Bytes moved: listeners hear of it soon, once for all the progress until then.
      timer ??= setTimeout(notify, PROGRESS_INTERVAL_MS)
      if (acknowledged && url !== null) {
        claim?.save({
          url,
          chunkSize: sender.chunkSize,
          parts: Object.fromEntries(sender.etags),
          expires,
        })
      }
    },
    ended(outcome) {
      if (outcome instanceof UploadError) return fail(outcome)
      if (isFinal(status)) return
      result = outcome
      dispatch('succeed')
    },
    staleUrl() {
      if (freshSessionTaken) return false
      // The stored URL was refused before it ever answered: one new session, from the first byte.
      freshSessionTaken = true
      sender?.interrupt()
      sender = null
      claim?.forget()
      resumed = false
      openSession().catch(fail)
      return true
    },
  }

  const upload: Upload = {
    file,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
    setOptions(next) {
      // A new `localStorage` store sweeps all of localStorage: keep the one we have unless
      // `resume` itself changed (React hands over every option change, progress renders included).
      const keepStore = !('resume' in next) || next.resume === raw.resume
      raw = { ...raw, ...next }
      // A running sender keeps the part size it planned with; everything else applies from now on.
      options = resolveOptions(raw, keepStore ? options.store : undefined)
    },
    start() {
      if (status === 'error') return upload.retry()
      if (!promise) {
        promise = newPromise()
        dispatch('start')
      }
      return promise
    },
    retry() {
      if (status !== 'error') return upload.start()
      // The URL is dead (expired, spent): only a new session can go on.
      if (URL_REFUSED.has(error?.status ?? 0)) sender = null
      error = null
      promise = newPromise()
      dispatch('retry')
      return promise
    },
    pause: () => dispatch('pause'),
    resume: () => dispatch('resume'),
    cancel: () => dispatch('cancel'),
  }
  return upload
}
