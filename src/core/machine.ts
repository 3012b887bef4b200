import { isEnded, isFinal, isRunning } from './status.ts'
import type { UploadStatus } from './types.ts'

/**
 * What can happen to an upload. The caller's actions (`start`, `pause`, `resume`, `retry`,
 * `cancel`), what the browser says (`offline`, `online`) and what the part sender reports:
 * - `ready`: the upload URL is known and the parts are planned (a session, or a stored record);
 * - `wait` / `waited`: some part (or the completion) waits out a backoff / none does any more;
 * - `complete`: every part is acknowledged and the completion is sent;
 * - `succeed` / `fail`: the upload ended with the media object / with an error.
 */
export type UploadEvent =
  | 'start'
  | 'ready'
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

/**
 * The one place that decides where an upload goes next: pure, no timers, no I/O. `planned`
 * says whether parts can be sent yet (the URL is known): going on from a pause or an error
 * without it means going back to preparing. An event that does not apply in a status leaves
 * it as it is; the caller's side effects run only on a change.
 *
 *   idle → checking → uploading ⇄ retrying → completing → success
 *   pause: checking | uploading | retrying | offline → paused → (resume) back
 *   offline: uploading | retrying → offline → (online) uploading
 *   fail: anything not ended → error → (retry) uploading | checking
 *   cancel: anything not final, and not completing → cancelled
 *
 * Once the completion is sent, the server may be assembling the file: `completing` ignores
 * pause, offline and cancel, and only the completion's outcome (succeed or fail) ends it. An
 * aborted completion would be a stored file reported as paused, offline or cancelled.
 */
export function transition(
  status: UploadStatus,
  event: UploadEvent,
  planned: boolean,
): UploadStatus {
  const goOn = planned ? 'uploading' : 'checking'
  switch (event) {
    case 'start':
      return status === 'idle' ? 'checking' : status
    case 'ready':
      return status === 'checking' ? 'uploading' : status
    case 'wait':
      return status === 'uploading' ? 'retrying' : status
    case 'waited':
      return status === 'retrying' ? 'uploading' : status
    case 'complete':
      return status === 'uploading' || status === 'retrying' ? 'completing' : status
    case 'offline':
      return status === 'uploading' || status === 'retrying' ? 'offline' : status
    case 'online':
      return status === 'offline' ? 'uploading' : status
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
