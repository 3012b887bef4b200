import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { resolveOptions, type UploadOptions } from './options.ts'
import { createSpeedMeter } from './progress.ts'
import { lockRecord, resumeKey } from './resume-store.ts'
import { createSender, type PartSender, type SenderHost, URL_REFUSED } from './sender.ts'
import { enforce, resolveSession } from './session.ts'
import type { Media, Upload, UploadSnapshot, UploadStatus } from './types.ts'
import { toUploadError } from './upload-error.ts'

/** Statuses in which bytes may move, and which pause() and going offline interrupt. */
const SENDING: ReadonlySet<UploadStatus> = new Set(['uploading', 'retrying', 'completing'])
const FINAL: ReadonlySet<UploadStatus> = new Set(['success', 'cancelled'])
/** Progress reaches listeners at most this often; status changes reach them at once. */
const PROGRESS_INTERVAL_MS = 16

/**
 * Creates an upload of `file`; nothing happens until `start()`. State lives in closure
 * variables, not class fields: the methods can be passed around unbound (`subscribe` and
 * `getSnapshot` go straight to `useSyncExternalStore`), and the bundle is smaller.
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
  /** False when another tab uploads the same file: its record is not ours to read or write. */
  let ownsRecord = true
  let releaseRecord: (() => void) | null = null
  let lockAsked: Promise<void> | null = null
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

  const setStatus = (next: UploadStatus): void => {
    if (status === next) return
    status = next
    notify()
  }

  const recordKey = (): string => resumeKey(file, options.endpoint)

  const forgetRecord = (): void => {
    if (ownsRecord) options.store?.remove(recordKey())
  }

  const letGoOfRecord = (): void => {
    releaseRecord?.()
    releaseRecord = null
  }

  const newPromise = (): Promise<Media> => {
    const next = new Promise<Media>((resolve, reject) => {
      settle = { resolve, reject }
    })
    // A caller who only watches the snapshot must not see an unhandled rejection.
    next.catch(() => undefined)
    return next
  }

  const rejectWith = (reason: UploadError): void => {
    const pending = settle
    settle = null
    pending?.reject(reason)
  }

  const fail = (reason: unknown): void => {
    const failure = toUploadError(reason)
    if (FINAL.has(status) || status === 'error') return
    sender?.interrupt()
    if (URL_REFUSED.has(failure.status ?? 0)) forgetRecord()
    error = failure
    setStatus('error')
    rejectWith(failure)
  }

  const offline = (): void => {
    if (status === 'offline') return
    sender?.interrupt()
    setStatus('offline')
  }

  /** Goes on after a pause or a lost connection; the idle time must not count as slowness. */
  const goOn = (next: UploadStatus): void => {
    speed.restart()
    setStatus(next)
    sender?.pump()
  }
  const onOnline = (): void => {
    if (status === 'offline') goOn('uploading')
  }
  const onOffline = (): void => {
    if (SENDING.has(status)) offline()
  }
  const listen = (on: boolean): void => {
    if (typeof window === 'undefined') return
    const method = on ? 'addEventListener' : 'removeEventListener'
    window[method]('online', onOnline)
    window[method]('offline', onOffline)
  }

  /** Ends cancelled or successful: the record and the lock are let go of. */
  const finish = (final: UploadStatus): void => {
    forgetRecord()
    letGoOfRecord()
    listen(false)
    setStatus(final)
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
    if (FINAL.has(status)) return
    sender = createSender(host, file, at, chunkSize, etags, confirmed)
    if (status === 'paused') return
    setStatus('uploading')
    sender.pump()
  }

  const openSession = async (): Promise<void> => {
    const { sessionTimeoutMs, chunkSize, now } = options
    const session = await resolveSession(options.url, file, sessionTimeoutMs)
    await check(session.conditions)
    expires = session.expires ?? now() + 24 * 3600_000
    begin(session.url, chunkSize, new Map(), true)
  }

  /** Continues from a stored record when one matches this file and endpoint. */
  const takeRecord = (): boolean => {
    const { store, mode } = options
    const record = mode === 'resumable' && ownsRecord ? store?.get(recordKey()) : null
    if (!record) return false
    resumed = true
    expires = record.expires
    const etags = new Map(Object.entries(record.parts).map(([i, etag]) => [Number(i), etag]))
    begin(record.url, record.chunkSize, etags, false)
    return true
  }

  /**
   * Asks once for this file's cross-tab lock. Until the answer the record is not ours: nothing
   * is written to it, so a tab that loses the race never touches the winner's record.
   */
  const askLock = (): Promise<void> => {
    if (lockAsked) return lockAsked
    if (!options.store) return Promise.resolve()
    ownsRecord = false
    lockAsked = lockRecord(recordKey()).then((lock) => {
      ownsRecord = lock !== false
      if (typeof lock === 'function') releaseRecord = lock
      // Finished (or cancelled) before the answer: give the lock straight back.
      if (FINAL.has(status)) letGoOfRecord()
    })
    return lockAsked
  }

  const prepare = async (): Promise<void> => {
    setStatus('checking')
    listen(true)
    try {
      await check(options.conditions)
      const stored = options.mode === 'resumable' && options.store?.get(recordKey())
      const locked = askLock()
      // Only a stored record needs the lock before going on: a fresh upload starts at once
      // (the lock's answer takes a few milliseconds) and keeps a record once the answer is yes.
      if (stored) await locked
      if (FINAL.has(status)) return
      if (!takeRecord()) await openSession()
    } catch (reason) {
      fail(reason)
    }
  }

  // ---- what the sender reports ----------------------------------------------------------

  const host: SenderHost = {
    get options() {
      return options
    },
    mayContinue() {
      if (!SENDING.has(status)) return false
      if (typeof navigator !== 'undefined' && navigator.onLine === false) {
        offline()
        return false
      }
      return true
    },
    progressed() {
      if (sender) speed.sample(sender.progress.uploaded, options.now())
      // Bytes moved: listeners hear of it soon, once for all the progress until then.
      timer ??= setTimeout(notify, PROGRESS_INTERVAL_MS)
    },
    acknowledged() {
      const { store, mode } = options
      if (!store || !ownsRecord || !sender || url === null || mode !== 'resumable') return
      store.set(recordKey(), {
        url,
        chunkSize: sender.chunkSize,
        parts: Object.fromEntries(sender.etags),
        expires,
      })
    },
    retrying(waiting) {
      if (waiting && status === 'uploading') setStatus('retrying')
      if (!waiting && status === 'retrying') setStatus('uploading')
    },
    completing: () => setStatus('completing'),
    succeeded(media) {
      if (FINAL.has(status)) return
      result = media
      finish('success')
      settle?.resolve(media)
      settle = null
    },
    failed: fail,
    staleUrl() {
      if (freshSessionTaken) return false
      // The stored URL was refused before it ever answered: one new session, from the first byte.
      freshSessionTaken = true
      sender?.interrupt()
      sender = null
      forgetRecord()
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
        void prepare()
      }
      return promise
    },
    retry() {
      if (status !== 'error') return upload.start()
      const urlRefused = URL_REFUSED.has(error?.status ?? 0)
      error = null
      promise = newPromise()
      if (!sender || urlRefused) {
        // No parts yet, or the URL is dead (expired, spent): only a new session can go on.
        sender = null
        void prepare()
      } else {
        sender.rearm()
        setStatus('uploading')
        sender.pump()
      }
      return promise
    },
    pause() {
      if (status === 'checking' || status === 'offline' || SENDING.has(status)) {
        sender?.interrupt()
        setStatus('paused')
      }
    },
    resume() {
      // Paused while checking: prepare() is still running and goes on by itself.
      if (status === 'paused') goOn(sender ? 'uploading' : 'checking')
    },
    cancel() {
      if (FINAL.has(status)) return
      sender?.interrupt()
      const pending = settle !== null
      finish('cancelled')
      if (pending) rejectWith(new UploadError('cancelled', 'The upload was cancelled'))
    },
  }
  return upload
}
