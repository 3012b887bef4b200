/**
 * Chromium's footprint from /proc: every process under this one whose name says Chromium
 * (browser, renderers, GPU, network and storage services). RSS is summed over them: shared
 * pages count once per process, which the baseline subtracted before each upload cancels out.
 */
import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ and page size; both are these on every mainstream x86-64 and arm64 kernel. */
const TICKS_PER_SECOND = 100
const PAGE_BYTES = 4096

export interface ProcStat {
  pid: number
  ppid: number
  name: string
  /** utime + stime, in seconds. */
  cpuSeconds: number
}

export function readStat(pid: number, path = `/proc/${pid}/stat`): ProcStat | null {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    return null // gone between the listing and the read
  }
  // The name is in parentheses and may itself hold spaces and parentheses.
  const open = text.indexOf('(')
  const close = text.lastIndexOf(')')
  const fields = text.slice(close + 2).split(' ')
  return {
    pid,
    ppid: Number(fields[1]),
    name: text.slice(open + 1, close),
    cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
  }
}

/** Chromium processes descended from this process, with their stat lines. */
export function chromiumProcesses(): ProcStat[] {
  const all = new Map<number, ProcStat>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (stat) all.set(stat.pid, stat)
  }
  const isOurs = (stat: ProcStat): boolean => {
    for (let p = stat.ppid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true
      p = all.get(p)?.ppid ?? 0
    }
    return false
  }
  return [...all.values()].filter((s) => /chrom/i.test(s.name) && isOurs(s))
}

/** Resident memory of one process, in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
  try {
    const resident = readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]
    return Number(resident) * PAGE_BYTES
  } catch {
    return 0
  }
}

/**
 * What a Chromium process does, from its command line: 'browser', 'renderer', 'network'
 * (the network service, which sends request bodies), 'gpu', or another utility's name.
 */
export function processKind(pid: number): string {
  let args: string[]
  try {
    // Chromium rewrites its children's titles into one space-separated string.
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/)
  } catch {
    return 'gone'
  }
  const value = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1]
  const type = value('type')
  if (type === undefined) return 'browser'
  if (type !== 'utility') return type
  const sub = value('utility-sub-type') ?? 'utility'
  return sub.includes('NetworkService') ? 'network' : sub.replace(/^.*\./, '')
}

/** Resident memory of the given processes, summed per kind of process. */
export function rssByKind(kinds: ReadonlyMap<number, string>): Record<string, number> {
  const sums: Record<string, number> = {}
  for (const [pid, kind] of kinds) sums[kind] = (sums[kind] ?? 0) + rssBytes(pid)
  return sums
}

/** CPU seconds per pid, to subtract one reading from a later one. */
export function cpuByPid(processes: readonly ProcStat[]): Map<number, number> {
  return new Map(processes.map((p) => [p.pid, p.cpuSeconds]))
}

/** CPU spent between two readings; a process born in between counts from zero. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0)
  return total
}

/** CPU seconds per thread of the given processes, keyed `pid/tid`, with `kind/thread name`. */
export function cpuByThread(
  processes: readonly ProcStat[],
): Map<string, { key: string; seconds: number }> {
  const threads = new Map<string, { key: string; seconds: number }>()
  for (const { pid } of processes) {
    const kind = processKind(pid)
    let tids: string[]
    try {
      tids = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue // gone
    }
    for (const tid of tids) {
      const stat = readStat(Number(tid), `/proc/${pid}/task/${tid}/stat`)
      // One row per name (pool threads share theirs): where the CPU went, not which thread.
      if (stat)
        threads.set(`${pid}/${tid}`, { key: `${kind}/${stat.name}`, seconds: stat.cpuSeconds })
    }
  }
  return threads
}

/** CPU per `kind/thread name` between two `cpuByThread` readings. */
export function threadCpuBetween(
  before: ReturnType<typeof cpuByThread>,
  after: ReturnType<typeof cpuByThread>,
): Record<string, number> {
  const sums: Record<string, number> = {}
  for (const [id, { key, seconds }] of after) {
    const used = seconds - (before.get(id)?.seconds ?? 0)
    if (used > 0) sums[key] = (sums[key] ?? 0) + used
  }
  return sums
}
