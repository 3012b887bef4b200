/** Each upload already throttles itself to a frame; several together must not add up. */
const FRAME_MS = 16

/**
 * Calls `publish` at most once per frame for progress, and at once for a state change: the
 * leading call goes through, the ones that follow within the frame become one trailing call.
 * Returns `emit(now)`.
 */
export function frameThrottle(publish: () => void): (now: boolean) => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = Number.NEGATIVE_INFINITY
  const run = (): void => {
    timer = undefined
    last = Date.now()
    publish()
  }
  return (now) => {
    if (!now && timer !== undefined) return
    clearTimeout(timer)
    const wait = now ? 0 : last + FRAME_MS - Date.now()
    if (wait <= 0) run()
    else timer = setTimeout(run, wait)
  }
}
