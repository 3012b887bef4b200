import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { type ContinueOptions, findInterruptedUploads, type Upload } from '../core/index.ts'
import { listedEndpoint } from '../ui/core-options.ts'
import { InterruptedStore } from '../ui/interrupted-store.ts'
import type { InterruptedItem, InterruptedView } from '../ui/interrupted-types.ts'
import { defaultUploadMessages, type UploadMessages } from '../ui/ui-messages.ts'

export interface InterruptedUploadsOptions {
  /**
   * The uploader's options: its `endpoint` (or `url` string) chooses whose interrupted uploads
   * are listed, and a continued upload gets them (its `url` is called only if the stored upload
   * URL turns out dead). Without an endpoint, or with `resume: false`, nothing is listed.
   */
  options: ContinueOptions
  /** false: list nothing. @default true */
  enabled?: boolean | undefined
  /** A continued upload, already started: give it to `useUploadQueue().adopt`, or watch it. */
  onContinue?: ((upload: Upload) => void) | undefined
  /** Start over with a picked file: upload it afresh (`useUploadQueue().add`). */
  onFiles?: ((files: File[]) => void) | undefined
  /** Start over with no file at hand (a changed file behind a handle): open your picker. */
  onPick?: (() => void) | undefined
  /** Sentences for a live region: found, refused, changed, discarded. */
  onAnnounce?: ((text: string) => void) | undefined
  messages?: Partial<UploadMessages> | undefined
}

export interface InterruptedUploads {
  /** This endpoint's interrupted uploads, each with its controls; [] on the server. */
  readonly items: readonly InterruptedItem[]
  /**
   * Give it the files of every pick and drop: a file that is a listed upload's continues it
   * (or is shown as not the same file); returns the others, to upload as usual.
   */
  take(files: readonly File[]): File[]
  /** Finds the list again (it is found on mount, and whenever the window gets focus). */
  refresh(): void
  /** What an item shows in `<Upload />`: its words and controls, with `messages` over English. */
  view(item: InterruptedItem, messages?: Partial<UploadMessages>): InterruptedView
}

/**
 * The uploads a reload or a crash interrupted (#16), for a custom UI: what `<Upload />` lists
 * above its drop zone. Each item says where its bytes come from (`source`), whether another tab
 * is continuing it (`elsewhere`), why it did not continue (`problem`), and has `continue()`
 * (call it from a click: reading a kept file handle needs that gesture), `discard()` and
 * `startOver()`.
 *
 * @example
 * const queue = useUploadQueue(options)
 * const { items, take } = useInterruptedUploads({ options, onContinue: queue.adopt })
 */
export function useInterruptedUploads(props: InterruptedUploadsOptions): InterruptedUploads {
  const latest = useRef(props)
  useEffect(() => {
    latest.current = props
  })
  const [list] = useState(
    () =>
      new InterruptedStore({
        find: (endpoint) => findInterruptedUploads({ endpoint }),
        options: () => latest.current.options,
        adopt: (upload) => latest.current.onContinue?.(upload),
        add: (files) => latest.current.onFiles?.(files),
        pick: () => latest.current.onPick?.(),
        announce: (text) => latest.current.onAnnounce?.(text),
        messages: () => ({ ...defaultUploadMessages, ...latest.current.messages }),
      }),
  )
  const endpoint = listedEndpoint(props.options, props.enabled ?? true)
  useEffect(() => list.setEndpoint(endpoint), [list, endpoint])
  useEffect(() => list.mount(), [list])
  const items = useSyncExternalStore(list.subscribe, list.getSnapshot, list.getServerSnapshot)
  return useMemo(
    () => ({
      items,
      take: (files) => list.take(files),
      refresh: list.refresh,
      view: (item, messages) => list.view(item, { ...defaultUploadMessages, ...messages }),
    }),
    [items, list],
  )
}
