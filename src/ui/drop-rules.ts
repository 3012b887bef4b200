import { acceptsFile, refusesDraggedType } from './accept.ts'

/** Why a file was not taken: its type is not accepted, or there were too many files. */
export interface FileRefusal {
  readonly file: File
  readonly reason: 'accept' | 'maxFiles'
}

/*
 * The drop zone's rules, for `useDropZone` and `<partwise-upload>` alike: which events carry
 * files, which files are taken, when a drag shows as refused, and where a paste belongs.
 */

export const carriesFiles = (data: DataTransfer | null): data is DataTransfer =>
  data !== null && Array.from(data.types).includes('Files')

/** Files of one pick, drop or paste, sorted: a single-file zone takes the first it accepts. */
export function sortFiles(
  files: readonly File[],
  tokens: readonly string[],
  multiple: boolean | undefined,
): { accepted: File[]; refused: FileRefusal[] } {
  const accepted: File[] = []
  const refused: FileRefusal[] = []
  for (const file of files) {
    if (!acceptsFile(tokens, file)) refused.push({ file, reason: 'accept' })
    else if (!multiple && accepted.length > 0) refused.push({ file, reason: 'maxFiles' })
    else accepted.push(file)
  }
  return { accepted, refused }
}

/** During a drag: whether some of the dragged files will be refused (type, or too many). */
export function dragRejects(
  data: DataTransfer,
  tokens: readonly string[],
  multiple: boolean | undefined,
): boolean {
  const items = Array.from(data.items).filter((i) => i.kind === 'file')
  return (!multiple && items.length > 1) || items.some((i) => refusesDraggedType(tokens, i.type))
}

/** Where pasted text belongs: a text field or an editable element keeps its paste. */
export function editable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target instanceof HTMLInputElement) return target.type !== 'file'
  return target instanceof HTMLTextAreaElement || target.isContentEditable
}

/** The files of a paste the page would otherwise drop: a paste into a text field stays there. */
export function pastedFiles(event: ClipboardEvent): File[] {
  const files = Array.from(event.clipboardData?.files ?? [])
  return event.defaultPrevented || editable(event.target) ? [] : files
}
