import { UploadError } from './errors.ts'
import type { UploadEvent } from './machine.ts'
import type { ResolvedOptions } from './options.ts'
import { type Part, partSize, planParts } from './plan.ts'
import { createProgress, type Progress } from './progress.ts'
import { outcomeUnknown, readReply } from './protocol.ts'
import type { ResumeRecord } from './resume-store.ts'
import { backoffDelay, isRetryable } from './retry.ts'
import { lazy } from './session.ts'
import type { TransportRequest, TransportResponse } from './transport.ts'
import type { Media } from './types.ts'
import { toUploadError } from './upload-error.ts'

/**
 * The completion's slot in the bookkeeping: it is sent, retried and interrupted like a part (one
 * code path for both), but it is never queued: `pump()` sends it once every part is acknowledged.
 */
const COMPLETION = -1
/**
 * How long the first part is sent alone before the others join it. Chromium takes ~10 ms from
 * a request to its first byte on the wire (opening the file-backed body); parts started inside
 * that window slow each other's start. The bench: pick to first byte 24 ms with four parts at
 * once, 12 ms (a single PUT's 11) with this head start, and no loss of throughput.
 */
export const HEAD_START_MS = 12
/** The upload URL itself was refused: expired, spent, forged or unknown. */
export const URL_REFUSED: ReadonlySet<number | undefined> = new Set([403, 404, 410])

/** What the sender tells the upload that owns it, and asks of it. */
export interface SenderHost {
  /** Read at each use: `setOptions` applies to what has not been sent yet. */
  readonly options: ResolvedOptions
  /**
   * Whether to hold off: nothing may be sent now (not sending, or the browser offline). Seeing
   * the browser offline is the machine's `offline` event, whose answer interrupts this sender:
   * the parts in flight go back to the queue's front, the one asking included.
   */
  hold(): boolean
  /** `verified`, `wait`, `waited`, `complete` or `offline`: the machine decides what changes. */
  dispatch(event: UploadEvent): void
  /** Bytes moved; `acknowledged` when a part was confirmed (the resume record is saved). */
  progressed(acknowledged?: boolean): void
  /** The upload ended: with the media object, or with why not. */
  ended(outcome: Media | UploadError): void
  /** The URL was refused before it ever answered: the host starts over with a fresh session. */
  staleUrl(): void
}

/**
 * Sends one file to one upload URL: the part queue, the parts in flight, their retries, and the
 * completion. A fresh session gets a fresh sender, so nothing of a dead URL leaks into the next.
 */
export interface PartSender {
  readonly parts: readonly { index: number }[]
  readonly progress: Progress
  /** The resume record of this sender: the one it started with, its acknowledged parts now. */
  record(): ResumeRecord
  /** False until a stored record's URL answers; true from the start for a fresh session. */
  readonly confirmed: boolean
  /** Bytes of the stored parts while not `confirmed`, else 0 (they are acknowledged then). */
  readonly recorded: number
  /** Fills the free slots with parts; completes when every part is acknowledged. */
  pump(): void
  /** Aborts what is in flight and every backoff; the parts go back to the queue's front. */
  interrupt(): void
  /** After an error: every part not acknowledged gets a fresh budget of attempts. */
  rearm(): void
}

/**
 * Sends to `start`'s URL, cut in its part size; its parts are on the server already (a fresh
 * session has none). With `trusted` false (a stored record), they count only once the URL
 * answers: a dead record must never show as progress.
 */
export function createSender(
  host: SenderHost,
  file: Blob,
  start: ResumeRecord,
  trusted: boolean,
): PartSender {
  const { url, chunkSize, parts: stored } = start
  // Planned once: a sender keeps the shape it started with, whatever setOptions says later.
  const simple = host.options.mode === 'simple'
  // Simple: the whole file, one part of any size.
  const parts = planParts(file.size, simple ? Number.POSITIVE_INFINITY : chunkSize)
  const progress = createProgress(parts.map(partSize))
  const etags = new Map<number, string>()
  let recorded = 0
  for (const i in stored) {
    const part = parts[+i]
    if (part) {
      etags.set(+i, stored[i] as string)
      recorded += partSize(part)
    }
  }
  /** Part indexes are their positions in `parts`. */
  const queue = parts.map((_, i) => i).filter((i) => !etags.has(i))
  const inFlight = new Map<number, AbortController>()
  const waiting = new Map<number, ReturnType<typeof setTimeout>>()
  const failures = new Map<number, number>()
  let confirmed = false
  /**
   * The completion may have been carried out without its answer reaching us: it was sent and
   * lost (network, stall, 5xx), or a stored record lists every part, which it does from the
   * moment the completion is sent. A refusal of the URL then says nothing (a spent URL is
   * refused too): never a fresh session and a second upload, only the completion sent again.
   */
  let maybeCompleted = !trusted && etags.size === parts.length

  /** The URL answered: the parts its record lists really are on the server. */
  const confirm = (): void => {
    if (confirmed) return
    confirmed = true
    for (const i of etags.keys()) progress.acknowledge(i)
    host.dispatch('verified')
  }
  if (trusted) confirm()

  const what = (index: number): string =>
    index === COMPLETION ? 'the completion of the upload' : simple ? 'the upload' : `part ${index}`

  const request = (index: number, signal: AbortSignal): TransportRequest => {
    const { headers, stallTimeoutMs } = host.options
    if (index === COMPLETION) {
      return {
        url,
        signal,
        // A store that assembles many parts (S3) may take minutes to answer: 4 times the
        // deadline (2 min by default).
        stallTimeoutMs: stallTimeoutMs * 4,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          parts: parts.map((_, index) => ({ index, etag: etags.get(index) })),
        }),
      }
    }
    const part = parts[index] as (typeof parts)[number]
    // A view, not a copy: the browser reads these bytes from disk as it sends them.
    let body: Blob | FormData = file.slice(part.start, part.end)
    if (simple) {
      body = new FormData()
      body.append('file', file, (file as Partial<File>).name ?? 'blob')
    }
    return {
      url,
      signal,
      stallTimeoutMs,
      method: simple ? 'POST' : 'PUT',
      headers: simple
        ? { ...headers }
        : { ...headers, 'Content-Type': 'application/octet-stream', 'X-Upload-Index': `${index}` },
      body,
      onProgress: (loaded) => {
        progress.sent(index, loaded)
        host.progressed()
      },
    }
  }

  /**
   * A request that failed without an answer may have failed on our side: Chromium reports a
   * part whose file was deleted or changed on disk as a plain network error. One byte read
   * tells the two apart, and only after a failure, so it costs nothing on the happy path (the
   * completion, index -1, reads the last part's; an empty part reads nothing, and fails only if
   * the file is gone).
   */
  const unreadable = (index: number): Promise<boolean> => {
    const { start } = parts.at(index) as Part
    return file
      .slice(start, start + 1)
      .arrayBuffer()
      .then(
        () => false,
        () => true,
      )
  }

  /** The server's refusal, in its own words (the lazy chunk builds them). */
  const refused = async (index: number, response: TransportResponse): Promise<void> =>
    host.ended((await lazy()).httpError(UploadError, response, what(index)))

  /**
   * A failed attempt. Ends the upload (awaited: the part stays in flight until then, so the
   * interrupt that comes with the error puts it back in the queue), or waits out a backoff.
   */
  const onFailure = async (
    index: number,
    signal: AbortSignal,
    response: TransportResponse | null,
    cause: unknown,
  ): Promise<void> => {
    const status = response?.status ?? 0
    const completion = index === COMPLETION
    if (completion && isRetryable(status)) maybeCompleted = true
    if (response && !isRetryable(status)) {
      if (completion && maybeCompleted && URL_REFUSED.has(status)) {
        host.ended(outcomeUnknown())
      } else if (!confirmed && URL_REFUSED.has(status)) {
        host.staleUrl()
      } else {
        await refused(index, response)
      }
      return
    }
    // Offline is not the server's fault: no attempt is spent.
    if (host.hold()) return
    const { maxAttempts } = host.options
    const count = (failures.get(index) ?? 0) + 1
    failures.set(index, count)
    if (count >= maxAttempts) {
      return completion
        ? host.ended(outcomeUnknown())
        : response
          ? refused(index, response)
          : host.ended(
              toUploadError(
                cause,
                'network_error',
                `Could not send ${what(index)} after ${count} attempts`,
              ),
            )
    }
    // A `Retry-After` came with an answer: the server is there, and so is the lazy chunk that
    // reads the header (its parser is not in the core: most retries have no such header).
    const after = response?.retryAfter
      ? (await lazy()).parseRetryAfter(response.retryAfter, host.options.now())
      : 0
    // Interrupted while that loaded (pause, offline, cancel, an error): the part is back in the
    // queue, and must not be scheduled twice.
    if (signal.aborted) return
    // The larger of the two: a Retry-After of 0, or a date in the past (the server's clock
    // behind ours), must not turn the backoff into a storm of attempts.
    const delay = Math.max(after, backoffDelay(count - 1, host.options))
    waiting.set(
      index,
      setTimeout(() => {
        waiting.delete(index)
        // The completion is never queued: pump() sends it once nothing else is left.
        if (index !== COMPLETION) queue.unshift(index)
        if (waiting.size === 0) host.dispatch('waited')
        pump()
      }, delay),
    )
    host.dispatch('wait')
  }

  /**
   * One request, and what its reply carries (see `readReply`); undefined when it failed
   * (already handled) or was aborted on purpose.
   */
  const attempt = async (
    index: number,
    signal: AbortSignal,
  ): Promise<string | Media | undefined> => {
    try {
      const response = await host.options.transport(request(index, signal))
      if (signal.aborted || host.hold()) return
      if (response.status < 200 || response.status > 299) {
        await onFailure(index, signal, response, null)
        return
      }
      const key = index === COMPLETION || simple ? null : index
      const read = readReply(response, key, file.size)
      if (read) return read
      // A broken reply: a protocol_error, never retried by itself. The part, still in flight,
      // goes back to the queue with the error's interrupt, for retry() to send again.
      host.ended((await lazy()).brokenReply(UploadError, response, what(index), key, file.size))
    } catch (error) {
      // Aborted on purpose (pause, offline, cancel): the transport's 'aborted' comes only then.
      if (signal.aborted) return
      if (await unreadable(index)) {
        host.ended((await lazy()).unreadableError(UploadError, error))
      } else {
        await onFailure(index, signal, null, error)
      }
    }
  }

  const send = async (index: number): Promise<void> => {
    const controller = new AbortController()
    inFlight.set(index, controller)
    if (index === COMPLETION) host.dispatch('complete')
    const read = await attempt(index, controller.signal)
    // Interrupted (pause, cancel, offline, an error), or failed: nothing to take in.
    if (inFlight.get(index) !== controller) return
    inFlight.delete(index)
    if (!read) return
    if (index === COMPLETION || simple) {
      // The server completed with every part listed: a resumed upload's stored parts are
      // acknowledged now, if no part answered before the completion did.
      // (Simple: the one part is the file.)
      progress.acknowledge(0)
      confirm()
      return host.ended(read as Media)
    }
    etags.set(index, read as string)
    progress.acknowledge(index)
    confirm()
    host.progressed(true)
    pump()
  }

  /** Set by the first pump: until then, that pump is the first part's head start. */
  let headStartTimer: ReturnType<typeof setTimeout> | undefined
  const pump = (): void => {
    if (host.hold()) return
    // The first part goes alone for a moment (see HEAD_START_MS).
    const limit = headStartTimer === undefined ? 1 : host.options.concurrency
    headStartTimer ??= setTimeout(pump, HEAD_START_MS)
    while (inFlight.size < limit && queue.length > 0) {
      void send(queue.shift() as number)
    }
    // The completion is in flight or waiting like a part, so "idle" also means "not completing".
    const idle = inFlight.size === 0 && waiting.size === 0 && queue.length === 0
    if (idle && etags.size === parts.length) void send(COMPLETION)
  }

  return {
    parts,
    progress,
    record: () => ({ ...start, parts: Object.fromEntries(etags) }),
    get confirmed() {
      return confirmed
    },
    get recorded() {
      return confirmed ? 0 : recorded
    },
    pump,
    interrupt() {
      const held = [...inFlight.keys(), ...waiting.keys()].filter((i) => i >= 0)
      inFlight.forEach((controller) => {
        controller.abort()
      })
      waiting.forEach(clearTimeout)
      // A sender given up for a fresh session must send nothing more to its URL.
      clearTimeout(headStartTimer)
      inFlight.clear()
      waiting.clear()
      queue.unshift(...held.sort((a, b) => a - b))
    },
    rearm: () => failures.clear(),
  }
}
