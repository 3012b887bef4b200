import { UploadError } from '../core/index.ts'

/** Flat, as a session's `metadata` (docs/PROTOCOL.md §1): strings, numbers, booleans, null. */
export type UploadMetadata = Record<string, string | number | boolean | null>

/** `beforeUpload`'s answer: nothing (go on as is), changes, or a refusal. */
export type BeforeUploadResult =
  | {
      /** Sent under this name: a new `File` over the same bytes (nothing is copied). */
      name?: string | undefined
      /** Given to the `url` function with the file (see `UploadContext`). */
      metadata?: UploadMetadata | undefined
    }
  | {
      /** Refuses the file: nothing is sent, and its row shows this reason, as a refusal. */
      refuse: string
    }
  | undefined

/**
 * Called once per file, as the file is added: before the conditions are checked and before
 * anything is sent, also with `autoStart: false`, so that a new name and a refusal show at once.
 * May be async: the file waits its turn meanwhile. A function that throws refuses the file with
 * the error's message. A file given to the queue as a bare `Blob` comes as a `File` named "file".
 */
export type BeforeUpload = (file: File) => BeforeUploadResult | Promise<BeforeUploadResult>

/** What a file is sent as, after `beforeUpload`. */
export interface Prepared {
  readonly file: Blob
  readonly metadata: UploadMetadata
}

/**
 * Runs `before` on `file`: what to send, or the refusal as an `UploadError` with the code of a
 * refusal by the conditions (`conditions_failed`, no `refusal` data), so that every UI shows and
 * counts it as one: permanent, not retried, not counted toward the queue's total.
 */
export async function prepare(before: BeforeUpload, blob: Blob): Promise<Prepared | UploadError> {
  const file = blob instanceof File ? blob : new File([blob], 'file', { type: blob.type })
  let answer: BeforeUploadResult
  try {
    answer = await before(file)
  } catch (error) {
    answer = { refuse: error instanceof Error ? error.message : String(error) }
  }
  if (answer && 'refuse' in answer) return new UploadError('conditions_failed', answer.refuse)
  const name = answer?.name
  return {
    file:
      name && name !== file.name
        ? new File([file], name, { type: file.type, lastModified: file.lastModified })
        : blob,
    metadata: answer?.metadata ?? {},
  }
}
