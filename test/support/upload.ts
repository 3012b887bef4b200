import { expect } from 'vitest'
import { type Upload, UploadError, type UploadSnapshot } from '../../src/core/index.ts'

/** Resolves with the first snapshot that passes `test` (the current one included). */
export function until(
  upload: Upload,
  test: (s: UploadSnapshot) => boolean,
): Promise<UploadSnapshot> {
  return new Promise((resolve) => {
    if (test(upload.getSnapshot())) return resolve(upload.getSnapshot())
    const stop = upload.subscribe(() => {
      const snapshot = upload.getSnapshot()
      if (test(snapshot)) {
        stop()
        resolve(snapshot)
      }
    })
  })
}

/** The UploadError a promise rejects with; fails the test if it resolves or throws another. */
export async function failure(promise: Promise<unknown>): Promise<UploadError> {
  const error = await promise.then(
    () => new Error('expected the upload to fail'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UploadError)
  return error as UploadError
}
