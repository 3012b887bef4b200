import { droppedFiles } from '../ui/browse.ts'
import { carriesFiles, dragRejects, pastedFiles } from '../ui/drop-rules.ts'

/** What the drop target asks of its element, read at each event. */
export interface DropHost {
  readonly disabled: boolean
  readonly tokens: readonly string[]
  readonly multiple: boolean
  readonly pasteAnywhere: boolean
  /** Files are over the element (`reject`: some will be refused), or no longer. */
  drag(dragging: boolean, reject: boolean): void
  take(files: File[]): void
}

/**
 * Drag and drop and paste over the element, by the shared rules (src/ui/drop-rules.ts): the
 * listeners `useDropZone` puts on `<Upload />`'s root, here on the host, where the events from
 * inside the shadow root arrive too. `listenToPage` adds the page's paste, for `paste-anywhere`.
 */
export function dropTarget(element: HTMLElement, host: DropHost): (on: boolean) => void {
  // dragenter and dragleave fire for every child crossed: counted, to know when it really left.
  let depth = 0
  const end = (): void => {
    depth = 0
    host.drag(false, false)
  }
  element.addEventListener('dragenter', (event) => {
    if (host.disabled || !carriesFiles(event.dataTransfer)) return
    event.preventDefault()
    depth++
    host.drag(true, dragRejects(event.dataTransfer, host.tokens, host.multiple))
  })
  element.addEventListener('dragover', (event) => {
    if (!carriesFiles(event.dataTransfer)) return
    // Without preventDefault on dragover the browser refuses the drop (and may open the file).
    event.preventDefault()
    event.dataTransfer.dropEffect = host.disabled ? 'none' : 'copy'
  })
  element.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event.dataTransfer)) return
    depth--
    if (depth <= 0) end()
  })
  element.addEventListener('drop', (event) => {
    if (!carriesFiles(event.dataTransfer)) return
    event.preventDefault()
    end()
    // With their file handles where the browser gives them, for a reload to continue (#16).
    if (!host.disabled) void droppedFiles(event.dataTransfer).then(host.take)
  })
  element.addEventListener('paste', (event) => {
    const files = Array.from(event.clipboardData?.files ?? [])
    if (host.disabled || files.length === 0) return
    event.preventDefault()
    host.take(files)
  })
  /** Files pasted anywhere in the page, never from a text field, nor taken twice. */
  const onPagePaste = (event: ClipboardEvent): void => {
    if (!host.pasteAnywhere || host.disabled) return
    const files = pastedFiles(event)
    if (files.length === 0) return
    event.preventDefault()
    host.take(files)
  }
  return (on) => {
    if (on) document.addEventListener('paste', onPagePaste)
    else document.removeEventListener('paste', onPagePaste)
  }
}
