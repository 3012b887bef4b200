import type { UploadOptions } from '../options.ts'
import type { Upload } from '../types.ts'

/**
 * Where the bytes of an interrupted upload come from when it continues (#16), best first:
 * - `'handle'`: a `FileSystemFileHandle` kept in IndexedDB (Chromium). `continue()` asks for
 *   read permission, which needs a user gesture: call it from the click that continues.
 * - `'copy'`: the private copy that `keepCopy` made in the Origin Private File System.
 * - `'pick'`: nothing kept; the user picks the same file again: `continue({ file })`.
 */
export type InterruptedSource = 'handle' | 'copy' | 'pick'

/** What `continue()` takes: options for the new `Upload`, and the file for a `'pick'` item. */
export interface ContinueOptions extends Partial<UploadOptions> {
  /**
   * `'pick'`: the file picked again. It must be the one the upload began with (same name, size,
   * type and last modification), or the upload fails with `wrong_file`.
   */
  file?: Blob | undefined
}

export interface FindInterruptedOptions {
  /** Only the uploads to this endpoint (the `endpoint` option, or the `url` string). */
  endpoint?: string | undefined
}

/**
 * An upload that a reload, a crash or an error left unfinished, as `findInterruptedUploads()`
 * found it: a picture taken then, not a live object.
 */
export interface InterruptedUpload {
  /** The record's key: stable, unique among the items (a React key). */
  readonly key: string
  readonly name: string
  readonly size: number
  readonly type: string
  /** The file's last modification (ms since the epoch), as it was when the upload began. */
  readonly lastModified: number
  /** The endpoint the upload was going to. */
  readonly endpoint: string
  /** Bytes the server acknowledged, as the record lists them. */
  readonly bytesUploaded: number
  /** `bytesUploaded / size`, from 0 to 1, as in the snapshot. */
  readonly progress: number
  readonly source: InterruptedSource
  /**
   * Another tab is continuing this upload right now (it holds the upload's Web Lock): show it as
   * "continuing in another tab"; `continue()` here fails with `continuing_elsewhere`.
   */
  readonly elsewhere: boolean
  /** When the record, and any copy, are forgotten (ms since the epoch, this browser's clock). */
  readonly expires: number
  /**
   * Continues the upload from its record, without calling a `url` function (the record has the
   * upload URL): returns the `Upload`, already started; `await item.continue().start()` gives
   * the media. `options.url` is called only if the stored URL turns out dead (a fresh session
   * from the first byte); without it, that case fails with `expired`. Failures reject `start()`
   * with an `UploadError`: `permission_denied` (read permission refused: the item stays listed),
   * `file_changed` (the file behind the handle changed on disk: offer to start over),
   * `wrong_file` (`'pick'`: another file was picked), `continuing_elsewhere`, `expired`.
   */
  continue(options?: ContinueOptions): Upload
  /**
   * Forgets the record, the stored handle and the private copy. Never touches the user's own
   * file. Rejects with `continuing_elsewhere` while another tab is continuing it.
   */
  discard(): Promise<void>
}
