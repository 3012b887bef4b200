import { useEffect, useRef } from 'react'
import { pastedFiles } from '../ui/drop-rules.ts'

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
      const files = pastedFiles(event)
      if (files.length === 0) return
      event.preventDefault()
      latest.current(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [enabled])
}
