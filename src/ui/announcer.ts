import type { UploadStatus } from '../core/index.ts'
import { isFinal } from '../core/status.ts'
import type { QueueItem } from './queue-types.ts'
import type { UploadMessages } from './ui-messages.ts'

interface Heard {
  status: UploadStatus
  milestone: number
}

/** 25, 50, 75: every quarter, not every percent, which would drown a screen reader. */
const milestoneOf = (progress: number): number => Math.min(75, Math.floor(progress * 4) * 25)

/** What changed for one file since it was last heard, in words; '' for nothing worth saying. */
function news({ status, error, progress }: QueueItem, heard: Heard, m: UploadMessages): string {
  if (status !== heard.status) {
    if (status === 'error' && error) {
      const why = error.refusal?.errors.map(m.refusal).join('; ') ?? m.error(error)
      return `${m.status(error.code === 'conditions_failed' ? 'refused' : status)}: ${why}`
    }
    if (isFinal(status) || status === 'paused') return m.status(status)
    // A first start, or a retry: not a resume, which the user just asked for by hand.
    if (heard.status === 'idle' || heard.status === 'error') return m.status('uploading')
  }
  const milestone = milestoneOf(progress)
  return milestone > heard.milestone && status !== 'success' ? `${milestone}%` : ''
}

export interface Announcement {
  readonly id: number
  readonly text: string
}

/** Enough to survive a burst (a refusal, then a start, then an ending) before it is read. */
const KEPT = 4

/**
 * The lines of a polite live region: each file's start, its 25/50/75% milestones, its ending,
 * and whatever `announce()` is given (refused files). Lines are appended, not replaced, so a
 * quick second line cannot wipe the first before a screen reader has read it. The region must be
 * in the page before its first line, or screen readers miss it. `onLines` gets every new list.
 */
export class Announcer {
  #heard = new Map<string, Heard>()
  #lines: readonly Announcement[] = []

  constructor(private readonly onLines: (lines: readonly Announcement[]) => void) {}

  announce = (text: string): void => {
    const kept = this.#lines
    this.#lines = [...kept.slice(1 - KEPT), { id: (kept.at(-1)?.id ?? 0) + 1, text }]
    this.onLines(this.#lines)
  }

  /** The queue's items as they are now: says what changed since the last call. */
  hear(items: readonly QueueItem[], messages: UploadMessages): void {
    const lines: string[] = []
    const next = new Map<string, Heard>()
    for (const item of items) {
      const before = this.#heard.get(item.id) ?? { status: 'idle', milestone: 0 }
      const line = news(item, before, messages)
      if (line) lines.push(messages.announce(item.name, line))
      next.set(item.id, {
        status: item.status,
        milestone: Math.max(before.milestone, milestoneOf(item.progress)),
      })
    }
    this.#heard = next
    if (lines.length > 0) this.announce(lines.join('. '))
  }
}
