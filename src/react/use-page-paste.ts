import { useEffect, useRef } from 'react'

/** Where pasted text belongs: a text field or an editable element keeps its paste. */
function editable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target instanceof HTMLInputElement) return target.type !== 'file'
  return target instanceof HTMLTextAreaElement || target.isContentEditable
}

/**
 * Files pasted anywhere in the page, not only with focus inside the drop zone (a screenshot
 * pasted into a chat window, say). A paste the zone already took (it prevents the default), a
 * paste into a text field, and a paste without files are left alone. Nothing runs on the server.
 */
export function usePagePaste(enabled: boolean, onFiles: (files: File[]) => void): void {
  const latest = useRef(onFiles)
  latest.current = onFiles
  useEffect(() => {
    if (!enabled) return
    const onPaste = (event: ClipboardEvent): void => {
      const files = Array.from(event.clipboardData?.files ?? [])
      if (event.defaultPrevented || files.length === 0 || editable(event.target)) return
      event.preventDefault()
      latest.current(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [enabled])
}
