import { useEffect, useState } from 'react'
import { type Announcement, Announcer } from '../ui/announcer.ts'
import type { QueueItem } from '../ui/queue-types.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

/** The live region's lines for `<Upload />`: the shared `Announcer`, its lines as React state. */
export function useAnnouncer(
  items: readonly QueueItem[],
  messages: UploadMessages,
): { lines: readonly Announcement[]; announce: (text: string) => void } {
  const [lines, setLines] = useState<readonly Announcement[]>([])
  const [announcer] = useState(() => new Announcer(setLines))
  useEffect(() => announcer.hear(items, messages), [announcer, items, messages])
  return { lines, announce: announcer.announce }
}
