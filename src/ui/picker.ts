import { parseAccept } from './accept.ts'

/*
 * Files with their `FileSystemFileHandle`, where the browser gives one (Chromium): from
 * `showOpenFilePicker` for the browse button, and from `getAsFileSystemHandle()` for a drop. The
 * core keeps the handle beside the resume record, so that a reloaded page continues the file
 * with one click instead of a new pick. Elsewhere the native input and `dataTransfer.files`.
 * The DOM library has no types for either API yet: the little used is declared here.
 */

interface PickerType {
  accept: Record<string, string[]>
}
interface PickerWindow {
  showOpenFilePicker?: (options: {
    multiple: boolean
    types?: PickerType[]
  }) => Promise<FileSystemFileHandle[]>
}
interface HandleItem {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>
}

/** Each picked or dropped file's handle, for the queue to give `createUpload` in its place. */
const handles = new WeakMap<Blob, FileSystemFileHandle>()

/** What `createUpload` gets for a file: its handle when it came with one, else the file. */
export const sourceOf = (file: Blob): Blob | FileSystemFileHandle => handles.get(file) ?? file

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

async function filesOf(found: Array<FileSystemHandle | null>): Promise<File[]> {
  const files: File[] = []
  for (const handle of found) {
    if (handle?.kind !== 'file') continue
    const file = await (handle as FileSystemFileHandle).getFile()
    handles.set(file, handle as FileSystemFileHandle)
    files.push(file)
  }
  return files
}

/**
 * Opens `showOpenFilePicker` where it exists; call it from the click that would open the native
 * input (it needs that user gesture). Resolves with the picked files, [] when the user cancels
 * (an AbortError is no error), or null where there is no such picker, or it refused the options:
 * then the native input's own picker is the way.
 */
export function openPicker(accept: string | undefined, multiple: boolean): Promise<File[]> | null {
  const show = (globalThis as PickerWindow).showOpenFilePicker
  if (!show) return null
  const types = pickerTypes(accept)
  return show({ multiple, ...(types && { types }) }).then(filesOf, (error: unknown) => {
    if ((error as Error | null)?.name === 'AbortError') return []
    throw error
  })
}

/**
 * A drop's files, with their handles where the browser gives them. The items must be read
 * during the drop event itself: this is called there, and only the reading of handles waits.
 * Falls back to `dataTransfer.files` when any item gives no file handle (a folder, an old
 * browser), so a drop never loses a file.
 */
export function droppedFiles(data: DataTransfer): Promise<File[]> {
  const files = Array.from(data.files)
  const items = Array.from(data.items).filter((i) => i.kind === 'file') as HandleItem[]
  if (items.length !== files.length || !items.every((i) => i.getAsFileSystemHandle)) {
    return Promise.resolve(files)
  }
  const found = items.map((i) => i.getAsFileSystemHandle?.().catch(() => null) ?? null)
  return Promise.all(found)
    .then(async (list) => {
      if (list.some((handle) => handle?.kind !== 'file')) return files
      return filesOf(list)
    })
    .catch(() => files)
}

/** Set while the native picker is opened on purpose, after `showOpenFilePicker` refused. */
let native = false

/**
 * For the file input's click (a click on its label, Enter or Space on it): opens
 * `showOpenFilePicker` in place of the native dialog where it exists. Runs after the page's own
 * handlers (listen on an ancestor): a click they prevented opens nothing. The input stays for
 * forms, the keyboard and tests (which set its files directly). Should the picker refuse, the
 * native one opens instead.
 */
export function browse(
  event: Event,
  input: HTMLInputElement,
  accept: string | undefined,
  multiple: boolean,
  take: (files: File[]) => void,
): void {
  if (native || event.defaultPrevented || event.target !== input || input.disabled) return
  const picked = openPicker(accept, multiple)
  if (!picked) return
  event.preventDefault()
  picked.then(take, () => {
    native = true
    input.click()
    native = false
  })
}
