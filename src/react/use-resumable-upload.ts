import type { UploadOptions } from '../core/index.ts'
import type { UploadState } from '../ui/state.ts'
import { type UploadActions, UploadSlot } from '../ui/upload-slot.ts'
import { useUploadStore } from './use-upload-store.ts'

/** What `useResumableUpload` returns: the current upload's state and stable actions. */
export interface ResumableUpload extends UploadState, UploadActions {}

/**
 * One resumable upload at a time, for a custom UI. State comes straight from the core's snapshot
 * through `useSyncExternalStore`, so progress renders as often as the core notifies (at most
 * about once a frame) and never tears. New options (a new `url` function, new conditions) reach
 * a running upload without restarting it.
 *
 * @example
 * const u = useResumableUpload({ url: getUploadUrl })
 * <input type="file" onChange={(e) => e.target.files?.[0] && u.upload(e.target.files[0])} />
 * <progress value={u.progress} /> {u.status === 'paused' && <button onClick={u.resume}>Resume</button>}
 */
export function useResumableUpload(options: UploadOptions): ResumableUpload {
  return useUploadStore(UploadSlot, options)
}
