/**
 * One clock for the page and the server host, which run in different processes: the wall
 * clock, with sub-millisecond precision. `performance.timeOrigin + performance.now()` would
 * drift apart between a page opened a second ago and a process started half an hour ago (the
 * monotonic clock is not slewed with the wall clock), so each measurement re-anchors: wait for
 * `Date.now()` to tick (at most a millisecond), then count from there with `performance.now()`.
 */
export function anchoredClock(): () => number {
  const start = Date.now()
  let tick = Date.now()
  while (tick === start) tick = Date.now()
  const anchor = tick - performance.now()
  return () => anchor + performance.now()
}
