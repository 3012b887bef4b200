import type { Conditions } from '../conditions/types.ts'
import { UploadError } from './errors.ts'
import { keeper } from './keep.ts'
import { transition, type UploadEvent } from './machine.ts'
import { resolveOptions, type UploadOptions } from './options.ts'
import { defaultPartSize } from './plan.ts'
import { createSpeedMeter } from './progress.ts'
import { claimRecord, type RecordClaim, type ResumeRecord, resumeKey } from './resume-store.ts'
import { createSender, type PartSender, type SenderHost, URL_REFUSED } from './sender.ts'
import { enforce, lazy, resolveSession } from './session.ts'
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
 * The record is written at most this often, and at `pagehide`: written whole for every part, a
 * 10,000-part upload would spend seconds of main thread in `setItem` (#13 item 11).
 */
const RECORD_INTERVAL_MS = 1000

/**
 * Creates an upload of `file`; nothing happens until `start()`. Events go through `dispatch`:
 * `transition` (machine.ts) decides the next status, and the side effects of a change follow in
 * `dispatch` alone. State lives in closure variables, not class fields: the methods can be
 * passed around unbound (`subscribe` and `getSnapshot` go straight to `useSyncExternalStore`),
 * and the bundle is smaller.
 */
export function createUpload(source: Blob | FileSystemFileHandle, initial: UploadOptions): Upload {
  // From a handle: a stand-in with its name until `prepare()` has read the file (#16).
  let file = source instanceof Blob ? source : new File([], source.name)
  /** What the parts are cut from: the file, or its private copy (`keepCopy`). */
  let body = file
  let raw = initial
  let options = resolveOptions(initial)
  let status: UploadStatus = 'idle'
  let error: UploadError | null = null
  let result: Media | null = null
  let shownBytes = 0
  let promise: Promise<Media> | null = null
  let settle: { resolve: (m: Media) => void; reject: (e: UploadError) => void } | null = null
  let sender: PartSender | null = null
  let resumed = false
  /** This tab's hold on the file's resume record; null without a store (or in simple mode). */
  let claim: RecordClaim | null = null
  const speed = createSpeedMeter()
  const listeners = new Set<() => void>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let saveTimer: ReturnType<typeof setTimeout> | undefined
  /** Parts were acknowledged since the record was last written. */
  let unsaved = false

  const makeSnapshot = (): UploadSnapshot => {
    const progress = sender?.progress
    const total = file.size
    // Never shown going down, not even when a dead record gives way to a fresh session; and
    // the whole file only once it is stored: a fresh session after every part was acknowledged
    // starts from 0 acknowledged parts (#13 item 13).
    shownBytes =
      status === 'success'
        ? total
        : Math.min(Math.max(shownBytes, progress?.uploaded ?? 0), total && total - 1)
    const rate = speed.speed
    return {
      status,
      file,
      bytesUploaded: shownBytes,
      bytesTotal: total,
      bytesRecorded: sender?.recorded ?? 0,
      progress: total ? shownBytes / total : +(status === 'success'),
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

  /** A run begins (started, or retried): a promise of its outcome, then the event. */
  const run = (event: UploadEvent): Promise<Media> => {
    const next = new Promise<Media>((resolve, reject) => {
      settle = { resolve, reject }
    })
    // A caller who only watches the snapshot must not see an unhandled rejection.
    next.catch(() => null)
    promise = next
    dispatch(event)
    return next
  }

  const save = (): void => {
    unsaved = false
    if (sender) claim?.save(sender.record())
  }
  /** Writes now, then at most once a second while parts keep coming. */
  const saveSoon = (): void => {
    unsaved = true
    // Not ours yet: written with the first part acknowledged after the lock says yes.
    if (saveTimer || !claim?.owned) return
    save()
    saveTimer = setTimeout(() => {
      saveTimer = undefined
      if (unsaved) saveSoon()
    }, RECORD_INTERVAL_MS)
  }

  /**
   * The browser's `online` and `offline` events are the machine's events of the same names;
   * `pagehide` (a reload, a closed tab) writes what the record is missing.
   */
  const onWindow = ({ type }: Event): void => {
    if (type !== 'pagehide') dispatch(type as UploadEvent)
    else if (unsaved) save()
  }
  const listen = (on: boolean): void => {
    // No window when rendered on a server.
    for (const type of ['online', 'offline', 'pagehide']) {
      globalThis.window?.[on ? 'addEventListener' : 'removeEventListener'](type, onWindow)
    }
  }
  const claimOf = (): RecordClaim | null => {
    const { store, mode, endpoint } = options
    return mode !== 'simple' && store ? claimRecord(store, resumeKey(file, endpoint)) : null
  }

  /**
   * Every status change goes through here: the machine decides, then its side effects, all in
   * this one place: traffic held or let go, the promise settled, the record and the lock let go.
   */
  const dispatch = (event: UploadEvent): void => {
    const from = status
    const to = transition(
      from,
      event,
      !sender ? 'checking' : sender.confirmed ? 'uploading' : 'verifying',
    )
    if (to === from) return
    status = to
    // What stops comes before listeners hear of the change; what starts comes after.
    // Nothing may be sent any more: what is in flight is aborted, and goes back to the queue.
    if (!isSending(to) && to !== 'checking') sender?.interrupt()
    if (to === 'completing') save() // every part listed: the completion may be carried out
    const ended = isEnded(to)
    if (ended) {
      // Ended: the lock goes to whoever waits (the same file picked again), the window listeners
      // go, and the record stays only for an error, for a retry or a reload to go on from.
      clearTimeout(saveTimer)
      saveTimer = undefined
      // Kept only for an error, but written whatever the end: success and cancel forget it next.
      if (unsaved) save()
      if (isFinal(to)) claim?.forget()
      claim?.release()
      claim = null
      listen(false)
    }
    notify()
    if (to === 'checking' && from !== 'paused') {
      // Started, retried without parts to go on from, or a stored URL refused: a session is
      // prepared (paused: prepare() is still running).
      listen(true)
      void prepare()
    }
    if (isSending(to) && !isSending(from)) {
      // Going on after a pause, a lost connection or an error: idle time is not slowness.
      speed.restart()
      if (from === 'error') {
        listen(true)
        claim = claimOf()
        sender?.rearm()
      }
      sender?.pump()
    }
    // (A settled promise ignores a second outcome: an end after an error leaves it rejected.)
    if (to === 'success') settle?.resolve(result as Media)
    else if (ended) {
      settle?.reject(
        to === 'error' ? (error as UploadError) : new UploadError('cancelled', 'Upload cancelled'),
      )
    }
  }

  const fail = (reason: unknown): void => {
    if (isEnded(status)) return
    error = toUploadError(reason)
    // A refused URL is dead: its record can only lead the next attempt astray.
    if (URL_REFUSED.has(error.status)) claim?.forget()
    dispatch('fail')
  }

  // ---- preparation: resume record, session, conditions ----------------------------------

  const check = (conditions: Conditions | undefined): Promise<void> =>
    enforce(file, conditions, options.conditionMessages)

  /** Sends to `record`'s URL: a fresh session's (`confirmed`), or a stored one's, to verify. */
  const begin = (record: ResumeRecord, confirmed: boolean): void => {
    if (isFinal(status)) return
    sender = createSender(host, body, record, confirmed)
    // Paused meanwhile: `resume()` goes on.
    dispatch('ready')
  }

  const openSession = async (): Promise<void> => {
    const { sessionTimeoutMs, chunkSize, concurrency, now, mode } = options
    const { url, conditions, part_limits } = await resolveSession(
      options.url,
      file,
      sessionTimeoutMs,
    )
    await check(conditions)
    let size = raw.chunkSize ?? defaultPartSize(file.size, concurrency, chunkSize)
    // The store's part sizes (docs/PROTOCOL.md §2e) have the last word; a chunkSize the app
    // chose and the store cannot take is changed, with a console warning that says so.
    if (part_limits && mode !== 'simple') {
      size = (await lazy()).fitPartSize(UploadError, file.size, size, !!raw.chunkSize, part_limits)
    }
    begin({ url, chunkSize: size, parts: {}, expires: now() + RECORD_LIFETIME_MS }, true)
  }

  const prepare = async (): Promise<void> => {
    try {
      // A handle to read, or a copy to keep (#16): a chunk of its own does both, and forgets them
      // once the upload ends.
      if (file !== source || raw.keepCopy) {
        ;[file, body] = await (await keeper()).open(source, options, upload)
      }
      await check(options.conditions)
      // Asked once per run: an error lets go of it, a retry asks again.
      claim ??= claimOf()
      // Only a stored record needs the lock before going on: a fresh upload starts at once
      // (the lock's answer takes a few milliseconds) and keeps a record once the answer is yes.
      if (claim?.record) await claim.decided
      if (isFinal(status)) return
      const record = claim?.owned && claim.record
      if (!record) return await openSession()
      // Continues from the stored record: same URL, same part size, its parts still to confirm
      // (`verifying` until the URL answers).
      resumed = true
      begin(record, false)
    } catch (reason) {
      fail(reason)
    }
  }

  // ---- what the sender reports ----------------------------------------------------------

  const host: SenderHost = {
    get options() {
      return options
    },
    // A completion goes on whatever happens: it may be assembling the file on the server.
    hold() {
      if (
        status === 'completing' ||
        (isSending(status) && globalThis.navigator?.onLine !== false)
      ) {
        return false
      }
      dispatch('offline')
      return true
    },
    dispatch,
    progressed(acknowledged) {
      if (!sender) return
      speed.sample(sender.progress.uploaded, options.now())
      // Bytes moved: listeners hear of it soon, once for all the progress until then.
      timer ??= setTimeout(notify, PROGRESS_INTERVAL_MS)
      if (acknowledged) saveSoon()
    },
    ended(outcome) {
      if (outcome instanceof UploadError) return fail(outcome)
      if (isFinal(status)) return
      result = outcome
      dispatch('succeed')
    },
    staleUrl() {
      // The stored URL was refused before it ever answered: one new session, from the first
      // byte, prepared as any (`checking`); the record's parts were never shown as uploaded.
      // Once only: a fresh session's sender is confirmed from the start, and never asks.
      sender?.interrupt()
      sender = null
      claim?.forget()
      resumed = false
      dispatch('stale')
    },
  }

  const upload: Upload = {
    file: source,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
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
      return status === 'error' ? upload.retry() : (promise ?? run('start'))
    },
    retry() {
      if (status !== 'error') return upload.start()
      // The URL is dead (expired, spent): only a new session can go on.
      if (URL_REFUSED.has(error?.status)) sender = null
      error = null
      return run('retry')
    },
    pause: () => dispatch('pause'),
    resume: () => dispatch('resume'),
    // After `outcome_unknown` the file may be stored: cancelling must not report it cancelled.
    cancel: () => error?.code !== 'outcome_unknown' && dispatch('cancel'),
  }
  return upload
}
