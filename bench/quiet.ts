/**
 * Other work on the machine is the benchmark's noise: on two cores, another test run halves a
 * throughput figure. Before each upload the harness waits (a while, not forever) for the
 * machine to go quiet, and after it reports how much CPU went to processes that are not ours.
 */
import { readFileSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** CPU time the whole machine spent busy (all cores, everything but idle and iowait), in seconds. */
export function machineBusySeconds(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '')
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Waits until the machine used less than `cores` of CPU over a second (our idle browser and
 * servers included), for at most `maxWaitMs`. Resolves with the milliseconds waited, and
 * whether it did become quiet.
 */
export async function waitForQuiet(
  cores = 0.25,
  maxWaitMs = 60_000,
): Promise<{ waitedMs: number; quiet: boolean }> {
  const start = Date.now()
  while (Date.now() - start < maxWaitMs) {
    const before = machineBusySeconds()
    await sleep(1000)
    if (machineBusySeconds() - before < cores) return { waitedMs: Date.now() - start, quiet: true }
  }
  return { waitedMs: Date.now() - start, quiet: false }
}
