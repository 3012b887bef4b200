/**
 * The benchmark page. The harness arms a job, picks the file into the input, and waits for
 * `done()`; the upload starts in the `change` handler, as in an app, so the time from the pick
 * to the first byte is the library's own.
 */
import { anchoredClock } from '../clock.ts'
import type { BenchPageApi, LongTaskSummary, PageJob, PageOutcome } from '../types.ts'
import { RELOADED_AT, send } from './senders.ts'

declare global {
  interface Window {
    __bench: BenchPageApi
  }
}

/** Epoch milliseconds, comparable with the server host's (clock.ts); re-anchored at each arm(). */
let epochNow = anchoredClock()

// Observed from page load: a long task is reported only after it ends, and one that started
// before the pick but ran into the upload must still count.
const longTasks: PerformanceEntry[] = []
new PerformanceObserver((list) => {
  longTasks.push(...list.getEntries())
}).observe({ type: 'longtask' })

/** Long tasks overlapping [from, to], in `performance.now()` time. */
function longTasksBetween(from: number, to: number): LongTaskSummary {
  const inside = longTasks.filter((t) => t.startTime + t.duration >= from && t.startTime <= to)
  return {
    count: inside.length,
    totalMs: inside.reduce((sum, t) => sum + t.duration, 0),
    maxMs: inside.reduce((max, t) => Math.max(max, t.duration), 0),
  }
}

// When a client first asks for the network: the pick-to-first-byte time splits into the
// library's own work before it, and the browser's and the network's after it.
let firstSendAt: number | null = null
const send_ = XMLHttpRequest.prototype.send
XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body) {
  firstSendAt ??= epochNow()
  send_.call(this, body)
}
const fetch_ = window.fetch
window.fetch = (input, init) => {
  firstSendAt ??= epochNow()
  return fetch_(input, init)
}

let job: PageJob | null = null
let outcome: Promise<PageOutcome> | null = null

const input = document.getElementById('file') as HTMLInputElement
input.addEventListener('change', () => {
  const picked = { at: epochNow(), perf: performance.now() }
  const file = input.files?.[0]
  const armed = job
  job = null
  if (!file || !armed) return
  firstSendAt = null
  outcome = send(file, armed, epochNow).then(
    (remoteId) => settle(picked, true, null, remoteId),
    (error: unknown) => settle(picked, false, String(error), null),
  )
  // The same file may be picked again next run; an unchanged value would fire no event.
  input.value = ''
})

async function settle(
  picked: { at: number; perf: number },
  ok: boolean,
  error: string | null,
  remoteId: string | null,
): Promise<PageOutcome> {
  const endedAt = epochNow()
  const endedPerf = performance.now()
  // Observers are told of a long task after it ends, in a later task: give them time to land.
  await new Promise((resolve) => setTimeout(resolve, 50))
  const longTasks = longTasksBetween(picked.perf, endedPerf)
  return { ok, error, pickedAt: picked.at, endedAt, remoteId, firstSendAt, longTasks }
}

window.__bench = {
  documentId: Math.random().toString(36).slice(2),
  arm(next) {
    epochNow = anchoredClock()
    job = next
    outcome = null
  },
  async done() {
    // `change` fires inside the pick itself, so by now an armed pick has started.
    if (!outcome) throw new Error('Nothing was picked since the last arm()')
    return outcome
  },
  storedParts(url) {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i)
      if (!key?.startsWith('partwise:v1:') || !key.includes(JSON.stringify(url))) continue
      const record = JSON.parse(localStorage.getItem(key) ?? '{}') as { parts?: object }
      return Object.keys(record.parts ?? {}).map(Number)
    }
    return []
  },
  reloadedAt() {
    const value = sessionStorage.getItem(RELOADED_AT)
    return value === null ? null : Number(value)
  },
}
