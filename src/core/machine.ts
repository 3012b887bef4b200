import { isEnded, isFinal, isRunning, isSending } from './status.ts'
import type { UploadStatus } from './types.ts'

/**
 * What can happen to an upload. The caller's actions (`start`, `pause`, `resume`, `retry`,
 * `cancel`), what the browser says (`offline`, `online`) and what the part sender reports:
 * - `ready`: the upload URL is known and the parts are planned (a session, or a stored record);
 * - `verified` / `stale`: a stored record's URL answered (its parts are on the server) / refused
 *   before it ever answered (a fresh session is prepared);
 * - `wait` / `waited`: some part (or the completion) waits out a backoff / none does any more;
 * - `complete`: every part is acknowledged and the completion is sent;
 * - `succeed` / `fail`: the upload ended with the media object / with an error.
 */
export type UploadEvent =
  | 'start'
  | 'ready'
  | 'verified'
  | 'stale'
  | 'wait'
  | 'waited'
  | 'complete'
  | 'offline'
  | 'online'
  | 'pause'
  | 'resume'
  | 'retry'
  | 'succeed'
  | 'fail'
  | 'cancel'

/** Where going on (after `ready`, a pause, a lost connection, a backoff, an error) leads. */
export type GoOn = 'checking' | 'verifying' | 'uploading'

/**
 * The one place that decides where an upload goes next: pure, no timers, no I/O. `goOn` says
 * where going on leads: `checking` while no URL is known (prepare again), `verifying` while a
 * stored record's URL has not answered yet, else `uploading`. An event that does not apply in a
 * status leaves it as it is; the caller's side effects run only on a change.
 *
 *   idle → checking → uploading ⇄ retrying → completing → success
 *   a stored record: checking → verifying → uploading (verified) | checking (stale)
 *   pause: checking | verifying | uploading | retrying | offline → paused → (resume) back
 *   offline: verifying | uploading | retrying → offline → (online) back
 *   fail: anything not ended → error → (retry) back
 *   cancel: anything not final, and not completing → cancelled
 *
 * `verifying` sends parts (sending one is the only way to ask the URL), and waits out its
 * backoffs as `verifying`: until the URL answers, that is what the upload is doing. Once the
 * completion is sent, the server may be assembling the file: `completing` ignores pause, offline
 * and cancel, and only the completion's outcome (succeed or fail) ends it. An aborted completion
 * would be a stored file reported as paused, offline or cancelled.
 */
export function transition(status: UploadStatus, event: UploadEvent, goOn: GoOn): UploadStatus {
  // Parts may be moving (verifying, uploading, retrying): the completion is not sent yet.
  const sending = isSending(status) && status !== 'completing'
  switch (event) {
    case 'start':
      return status === 'idle' ? 'checking' : status
    case 'ready':
      return status === 'checking' ? goOn : status
    case 'verified':
      return status === 'verifying' ? 'uploading' : status
    case 'stale':
      return status === 'verifying' ? 'checking' : status
    case 'wait':
      return status === 'uploading' ? 'retrying' : status
    case 'waited':
      return status === 'retrying' ? goOn : status
    case 'complete':
      return sending ? 'completing' : status
    case 'offline':
      return sending ? 'offline' : status
    case 'online':
      return status === 'offline' ? goOn : status
    case 'pause':
      return isRunning(status) && status !== 'completing' ? 'paused' : status
    case 'resume':
      return status === 'paused' ? goOn : status
    case 'retry':
      return status === 'error' ? goOn : status
    case 'succeed':
      return isFinal(status) ? status : 'success'
    case 'fail':
      return isEnded(status) ? status : 'error'
    case 'cancel':
      return isFinal(status) || status === 'completing' ? status : 'cancelled'
  }
}
