/**
 * What a store does when its component unmounts: `pause` stops the traffic it owns and returns
 * how to undo exactly that. Pausing (not cancelling) keeps the resume record, so the same file
 * picked again continues where it stopped.
 *
 * The pause waits one tick because StrictMode, and a hidden `<Activity>`, unmount and mount
 * again at once; a mount in between calls nothing off, and a later mount undoes the pause.
 * Returns a function for `useEffect(() => mount(), [])`.
 */
export function pauseOnUnmount(pause: () => () => void): () => () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let undo: (() => void) | null = null
  return () => {
    clearTimeout(timer)
    undo?.()
    undo = null
    return () => {
      timer = setTimeout(() => {
        undo = pause()
      }, 0)
    }
  }
}
