import type { ResolvedOptions } from '../options.ts'
import type { Upload } from '../types.ts'

/**
 * What an upload from a handle, or with `keepCopy`, reads: the file behind the handle (read
 * permission asked for when needed), or its private copy. Called by the core's `prepare()`.
 */
export async function open(
  source: Blob | FileSystemFileHandle,
  _options: ResolvedOptions,
  _upload: Upload,
): Promise<[file: Blob, body: Blob]> {
  const file = source instanceof Blob ? source : await source.getFile()
  return [file, file]
}
