/*
 * The part of the picker (picker.ts) that must run inside the user's event: whether to open
 * `showOpenFilePicker` in place of the input's dialog, and the reading of a drop's handles.
 * The rest loads when first used; the click's user activation outlasts that load.
 */

interface HandleItem {
  getAsFileSystemHandle?: () => Promise<FileSystemHandle | null>
}

/** Each picked or dropped file's handle, for the queue to give `createUpload` in its place. */
export const handles = new WeakMap<Blob, FileSystemFileHandle>()

/** What `createUpload` gets for a file: its handle when it came with one, else the file. */
export const sourceOf = (file: Blob): Blob | FileSystemFileHandle => handles.get(file) ?? file

let opening = false

/** The component's own "browse" (a button of a custom body, Pick again): the picker, if it can. */
export function openInput(input: HTMLInputElement): void {
  opening = true
  try {
    input.click()
  } finally {
    opening = false
  }
}

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
  if (event.defaultPrevented || event.target !== input) return
  // Only the user's own click (or Enter, Space, a label's) or the component's `open`: a script's
  // click keeps its default, which Testing Library's `upload` needs to set the input's files.
  if (!('showOpenFilePicker' in globalThis) || !(event.isTrusted || opening)) return
  event.preventDefault()
  import('./picker.ts')
    .then((picker) => picker.openPicker(accept, multiple))
    // Refused (a cross-origin frame, no user activation left): the native dialog, if it may.
    .then(take, () => input.showPicker())
    .catch(Boolean)
}

/**
 * A drop's files, with their handles where the browser gives them. The items must be read
 * during the drop event itself: this is called there, and only the reading of handles waits.
 * Falls back to `dataTransfer.files` when an item gives no file handle (a folder, an old
 * browser, a synthetic drop), so a drop never loses a file.
 */
export function droppedFiles(data: DataTransfer): Promise<File[]> {
  const files = Array.from(data.files)
  const items = Array.from(data.items).filter((i) => i.kind === 'file') as HandleItem[]
  const found = items.map((i) => i.getAsFileSystemHandle?.())
  if (!found.every(Boolean)) return Promise.resolve(files)
  return import('./picker.ts').then((picker) => picker.withHandles(found, files)).catch(() => files)
}
