import { parseAccept } from './accept.ts'
import { handles } from './browse.ts'

/*
 * Files with their `FileSystemFileHandle`, where the browser gives one (Chromium): from
 * `showOpenFilePicker` for the browse button, and from `getAsFileSystemHandle()` for a drop. The
 * core keeps the handle beside the resume record, so that a reloaded page continues the file
 * with one click instead of a new pick. Loaded on first use by browse.ts. The DOM library has no
 * types for the picker yet: the little used is declared here.
 */

interface PickerType {
  accept: Record<string, string[]>
}
type ShowPicker = (options: {
  multiple: boolean
  types?: PickerType[]
}) => Promise<FileSystemFileHandle[]>

/**
 * The picker's `types` for an `accept` string: MIME tokens as keys, extensions under a key of
 * their own. A made-up type: under a real one (`text/plain`) Chromium would also offer every
 * other extension of that type (WICG/file-system-access#444). No tokens, no filter.
 */
export function pickerTypes(accept: string | undefined): PickerType[] | undefined {
  const tokens = parseAccept(accept)
  if (tokens.length === 0) return undefined
  const types: Record<string, string[]> = {}
  const extensions = tokens.filter((t) => t.startsWith('.'))
  for (const token of tokens) if (!token.startsWith('.')) types[token] = []
  if (extensions.length > 0) types['application/x-partwise'] = extensions
  return [{ accept: types }]
}

/** The files behind handles, each remembered with its handle; [] if any is not a file. */
async function filesOf(found: ReadonlyArray<FileSystemHandle | null | undefined>): Promise<File[]> {
  const files: File[] = []
  for (const handle of found) {
    if (handle?.kind !== 'file') return []
    const file = await (handle as FileSystemFileHandle).getFile()
    handles.set(file, handle as FileSystemFileHandle)
    files.push(file)
  }
  return files
}

/**
 * Opens `showOpenFilePicker`: resolves with the picked files, or [] when the user cancels (an
 * AbortError is no error). Rejects when the picker refuses (no user activation left, options
 * it cannot take): the caller opens the native input instead.
 */
export function openPicker(accept: string | undefined, multiple: boolean): Promise<File[]> {
  const show = (globalThis as unknown as { showOpenFilePicker: ShowPicker }).showOpenFilePicker
  const types = pickerTypes(accept)
  return show({ multiple, ...(types && { types }) }).then(filesOf, (error: unknown) => {
    if ((error as Error | null)?.name === 'AbortError') return []
    throw error
  })
}

/** A drop's files from their handles, or the drop's own files when any handle is missing. */
export async function withHandles(
  found: ReadonlyArray<Promise<FileSystemHandle | null> | undefined>,
  files: File[],
): Promise<File[]> {
  const read = await filesOf(await Promise.all(found))
  return read.length === files.length ? read : files
}
