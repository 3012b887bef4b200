import {
  type ClipboardEvent,
  type DragEvent,
  type HTMLAttributes,
  type InputHTMLAttributes,
  type RefObject,
  useCallback,
  useRef,
  useState,
} from 'react'
import { parseAccept } from '../ui/accept.ts'
import { browse, droppedFiles, openInput } from '../ui/browse.ts'
import { carriesFiles, dragRejects, type FileRefusal, sortFiles } from '../ui/drop-rules.ts'
import { visuallyHidden } from '../ui/visually-hidden.ts'
import { usePagePaste } from './use-page-paste.ts'

export type { FileRefusal }

export interface DropZoneOptions {
  /** As the input's `accept`: `.pdf`, `image/*`, `video/mp4`; also applied to drops and pastes. */
  accept?: string | undefined
  /** @default false: one file; of several dropped, the first is taken and the rest refused */
  multiple?: boolean | undefined
  disabled?: boolean | undefined
  /** Also take files pasted anywhere in the page, outside text fields. @default false */
  pasteAnywhere?: boolean | undefined
  /** Files picked, dropped or pasted, with the ones refused and why. */
  onFiles: (accepted: File[], refused: FileRefusal[]) => void
}

type RootProps = HTMLAttributes<HTMLElement>
type InputProps = InputHTMLAttributes<HTMLInputElement> & {
  ref: RefObject<HTMLInputElement | null>
}

export interface DropZone {
  /** Files are being dragged over the zone. */
  isDragging: boolean
  /** …and at least one of them will be refused (type, or several for a single-file zone). */
  isDragReject: boolean
  /** Opens the file picker; call it from a user action. */
  open: () => void
  /** The file input, once mounted: where focus can go back to. */
  inputRef: RefObject<HTMLInputElement | null>
  /** Props for the element that takes drops and pastes; your handlers run first. */
  getRootProps: (props?: RootProps) => RootProps
  /** Props for the `<input type="file">`: visually hidden, but in the layout and focusable. */
  getInputProps: (props?: InputHTMLAttributes<HTMLInputElement>) => InputProps
}

/** Runs the user's handler, then ours unless theirs stopped propagation (react-dropzone's rule). */
function chain<E extends { isPropagationStopped(): boolean }>(
  theirs: ((event: E) => void) | undefined,
  ours: (event: E) => void,
): (event: E) => void {
  return (event) => {
    theirs?.(event)
    if (!event.isPropagationStopped()) ours(event)
  }
}

/**
 * Drag and drop, paste and the file picker over one element, as prop getters. The picker opens
 * by the input's own activation (a click on its label, Enter or Space while it has focus), so
 * keyboard access is the browser's, not a reimplementation. Where `showOpenFilePicker` exists
 * it opens in place of the input's dialog, and dropped files come with their handles: the core
 * keeps them so that a reload can continue without a new pick (#16).
 */
export function useDropZone({
  accept,
  multiple,
  disabled,
  pasteAnywhere = false,
  onFiles,
}: DropZoneOptions): DropZone {
  const inputRef = useRef<HTMLInputElement | null>(null)
  // dragenter and dragleave fire for every child crossed: count them to know when it really left.
  const depth = useRef(0)
  const [isDragging, setDragging] = useState(false)
  const [isDragReject, setDragReject] = useState(false)
  const tokens = parseAccept(accept)

  const open = useCallback(() => {
    if (inputRef.current) openInput(inputRef.current)
  }, [])
  const endDrag = (): void => {
    depth.current = 0
    setDragging(false)
    setDragReject(false)
  }
  const take = (files: File[]): void => {
    const { accepted, refused } = sortFiles(files, tokens, multiple)
    if (files.length > 0) onFiles(accepted, refused)
  }

  usePagePaste(pasteAnywhere && !disabled, take)

  const onDragEnter = (event: DragEvent<HTMLElement>): void => {
    if (disabled || !carriesFiles(event.dataTransfer)) return
    event.preventDefault()
    depth.current++
    setDragging(true)
    setDragReject(dragRejects(event.dataTransfer, tokens, multiple))
  }
  const onDragOver = (event: DragEvent<HTMLElement>): void => {
    if (!carriesFiles(event.dataTransfer)) return
    // Without preventDefault on dragover the browser refuses the drop (and may open the file).
    event.preventDefault()
    event.dataTransfer.dropEffect = disabled ? 'none' : 'copy'
  }
  const onDragLeave = (event: DragEvent<HTMLElement>): void => {
    if (!carriesFiles(event.dataTransfer)) return
    depth.current--
    if (depth.current <= 0) endDrag()
  }
  const onDrop = (event: DragEvent<HTMLElement>): void => {
    if (!carriesFiles(event.dataTransfer)) return
    event.preventDefault()
    endDrag()
    // With their file handles where the browser gives them, for a reload to continue (#16).
    if (!disabled) void droppedFiles(event.dataTransfer).then(take)
  }
  const onPaste = (event: ClipboardEvent<HTMLElement>): void => {
    const files = Array.from(event.clipboardData?.files ?? [])
    // Text pasted into a field of a custom body must still land there.
    if (disabled || files.length === 0) return
    event.preventDefault()
    take(files)
  }

  return {
    isDragging,
    isDragReject,
    open,
    inputRef,
    getRootProps: (props = {}) => ({
      ...props,
      onDragEnter: chain(props.onDragEnter, onDragEnter),
      onDragOver: chain(props.onDragOver, onDragOver),
      onDragLeave: chain(props.onDragLeave, onDragLeave),
      onDrop: chain(props.onDrop, onDrop),
      onPaste: chain(props.onPaste, onPaste),
    }),
    getInputProps: (props = {}) => ({
      ...props,
      ref: inputRef,
      type: 'file',
      accept,
      multiple,
      disabled,
      style: { ...visuallyHidden, ...props.style },
      // React's handler runs after the page's own listeners: a click they prevented stays so.
      onClick: chain(props.onClick, (event) =>
        browse(event.nativeEvent, event.currentTarget, accept, multiple === true, take),
      ),
      onChange: chain(props.onChange, (event) => {
        take(Array.from(event.currentTarget.files ?? []))
        // Cleared so that picking the same file again (after removing it) fires change again.
        event.currentTarget.value = ''
      }),
    }),
  }
}
