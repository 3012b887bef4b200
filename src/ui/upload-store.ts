import type { Upload, UploadOptions } from '../core/index.ts'
import { isRunning } from '../core/status.ts'
import type { UploadMetadata } from './before-upload.ts'
import { changedOptions, coreOptions, latestUrl } from './core-options.ts'
import type { UploadQueueOptions } from './queue-types.ts'
import { pauseOnUnmount } from './unmount-pause.ts'

/**
 * What `UploadSlot` and `UploadQueue` share, so each says only what it holds: the store React
 * reads through `useSyncExternalStore` (`subscribe`, `getSnapshot`, and `notify` for the
 * subclass), options passed on to the core uploads, and the pause on unmount. A subclass gives
 * its snapshot, its actions and the uploads it holds. Knows nothing of React.
 */
export abstract class UploadStore<State, Options extends UploadQueueOptions, Actions> {
  readonly #listeners = new Set<() => void>()
  /** Each file's metadata (from `beforeUpload`), for the `url` function: by the file sent. */
  protected readonly metadata = new WeakMap<Blob, UploadMetadata>()
  readonly #url = latestUrl((file) => ({ metadata: this.metadata.get(file) ?? {} }))
  readonly #serverState: State
  /** The options as last given, for what the store itself reads (limits, callbacks). */
  protected options: Options
  /**
   * What each core upload is created with: the store's own options left out. Read too for an
   * upload continued into the store from elsewhere (an interrupted one, #16).
   */
  core: UploadOptions

  abstract readonly actions: Actions
  abstract readonly getSnapshot: () => State
  /** The uploads held now: what new options and an unmount reach. */
  protected abstract uploads(): Upload[]

  constructor(options: Options, serverState: State) {
    this.options = options
    this.core = coreOptions(options, this.#url)
    this.#serverState = serverState
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  /** No upload runs on a server: it renders the state before any file. */
  getServerSnapshot = (): State => this.#serverState

  /** Passes only what changed to the running uploads: it applies from their next request on. */
  setOptions(options: Options): void {
    this.options = options
    const core = coreOptions(options, this.#url)
    const changed = changedOptions(this.core, core)
    this.core = core
    if (changed) for (const upload of this.uploads()) upload.setOptions(changed)
  }

  /** For an effect: pauses what is running when the component unmounts (see `pauseOnUnmount`). */
  mount = pauseOnUnmount(() => {
    const paused = this.uploads().filter((upload) => isRunning(upload.getSnapshot().status))
    for (const upload of paused) upload.pause()
    return () => {
      for (const upload of paused) upload.resume()
    }
  })

  protected readonly notify = (): void => {
    for (const listener of [...this.#listeners]) listener()
  }
}
