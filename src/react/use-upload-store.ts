import { useEffect, useMemo, useState, useSyncExternalStore } from 'react'
import type { UploadQueueOptions } from '../ui/queue-types.ts'
import type { UploadStore } from '../ui/upload-store.ts'

/**
 * The one hook under `useResumableUpload` and `useUploadQueue`: the store is created once, new
 * options reach it in an effect, an unmount pauses it, and its snapshot comes through
 * `useSyncExternalStore`, so a render never tears and the server renders the idle state.
 */
export function useUploadStore<State, Options extends UploadQueueOptions, Actions>(
  Store: new (options: Options) => UploadStore<State, Options, Actions>,
  options: Options,
): State & Actions {
  const [store] = useState(() => new Store(options))
  useEffect(() => store.setOptions(options), [store, options])
  useEffect(() => store.mount(), [store])
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot)
  return useMemo(() => ({ ...state, ...store.actions }), [state, store])
}
