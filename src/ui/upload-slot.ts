import { createUpload, type Media, type Upload, type UploadOptions } from '../core/index.ts'
import { IDLE_STATE, type UploadState } from './state.ts'
import { UploadStore } from './upload-store.ts'

/** The actions `useResumableUpload` returns; each is created once per hook and never changes. */
export interface UploadActions {
  /**
   * Uploads `file`, replacing (and cancelling) the previous one. Given the file already being
   * uploaded, it returns that upload's promise instead of sending the file again, so an effect
   * that runs twice (StrictMode) sends it once. When the component unmounts mid-upload, the
   * upload pauses and this promise stays pending: a remount (a hidden `<Activity>` shown again)
   * resumes it and the promise settles then. Read the outcome from the state, not only here.
   */
  upload(file: Blob): Promise<Media>
  pause(): void
  resume(): void
  cancel(): void
  /** After an error: continues from the acknowledged parts. Undefined when there is no upload. */
  retry(): Promise<Media> | undefined
  /** Cancels a running upload and goes back to the idle state. */
  reset(): void
}

/**
 * The one object behind `useResumableUpload`, created once per component. It holds the current
 * core upload, which changes with every `upload(file)`, and gives React one store to subscribe to
 * whatever the current upload is. Knows nothing of React.
 */
export class UploadSlot extends UploadStore<UploadState, UploadOptions, UploadActions> {
  #upload: Upload | null = null
  #unsubscribe: () => void = () => undefined

  constructor(options: UploadOptions) {
    super(options, IDLE_STATE)
  }

  getSnapshot = (): UploadState => this.#upload?.getSnapshot() ?? IDLE_STATE

  readonly actions: UploadActions = {
    upload: (file) => {
      const current = this.#upload
      if (current?.file === file && current.getSnapshot().status !== 'cancelled') {
        return current.start()
      }
      let next: Upload
      try {
        next = createUpload(file, this.core)
      } catch (error) {
        // Options the core refuses (a chunk size of 0): a programming error, rejected at once.
        return Promise.reject(error)
      }
      this.#attach(next)
      return next.start()
    },
    pause: () => this.#upload?.pause(),
    resume: () => this.#upload?.resume(),
    cancel: () => this.#upload?.cancel(),
    retry: () => this.#upload?.retry(),
    reset: () => this.#attach(null),
  }

  protected uploads(): Upload[] {
    return this.#upload ? [this.#upload] : []
  }

  #attach(upload: Upload | null): void {
    const previous = this.#upload
    this.#unsubscribe()
    previous?.cancel()
    this.#upload = upload
    this.#unsubscribe = upload ? upload.subscribe(this.notify) : () => undefined
    this.notify()
  }
}
