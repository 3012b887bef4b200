/**
 * `--profile`: the renderer's CPU profile (DevTools' sampling profiler) around each upload,
 * reduced to where the main thread's time went: idle, native work outside JS ("(program)":
 * Blink, IPC, timers), the garbage collector, and the JS functions with the most self time.
 * The profiler costs CPU itself: a profiled run's CPU figures are not comparable with others.
 */
import type { BenchPage } from './drivers/types.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface ProfileSummary {
  /** Milliseconds the profile covers, and how many of them the main thread was idle. */
  totalMs: number
  idleMs: number
  /** The rest by function (`name url:line`), self time in ms, the largest first. */
  top: Array<{ fn: string; selfMs: number }>
}

export async function startProfile(page: BenchPage): Promise<void> {
  await page.cdp('Profiler.enable')
  await page.cdp('Profiler.setSamplingInterval', { interval: 200 })
  await page.cdp('Profiler.start')
}

export async function stopProfile(page: BenchPage): Promise<ProfileSummary> {
  const { profile } = (await page.cdp('Profiler.stop')) as { profile: CpuProfile }
  const nameOf = new Map(
    profile.nodes.map((n) => {
      const { functionName, url, lineNumber, columnNumber } = n.callFrame
      const where = url ? ` ${url.replace(/^.*\//, '')}:${lineNumber + 1}:${columnNumber + 1}` : ''
      return [n.id, `${functionName || '(anonymous)'}${where}`]
    }),
  )
  const self = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const name = nameOf.get(id) ?? '?'
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  const totalMs = [...self.values()].reduce((a, b) => a + b, 0)
  const idleMs = self.get('(idle)') ?? 0
  self.delete('(idle)')
  const top = [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([fn, selfMs]) => ({ fn, selfMs: Math.round(selfMs * 10) / 10 }))
  return { totalMs, idleMs, top }
}
