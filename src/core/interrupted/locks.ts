/**
 * The Web Locks the core takes per record (`partwise:<key>`, resume-store.ts's claimRecord), and
 * those held while a copy is made (`partwise-copy:<key>`), as this page sees them: held here, or
 * held by any page (another tab: continuing elsewhere).
 */
export interface HeldLocks {
  /** Held by this page. */
  mine: Set<string>
  /** Held by any page, this one included. */
  all: Set<string>
}

export async function heldLocks(): Promise<HeldLocks> {
  const locks = globalThis.navigator?.locks
  const mine = new Set<string>()
  const all = new Set<string>()
  if (!locks) return { mine, all }
  try {
    // A page cannot ask for its own client id: a lock of its own, seen in the query, tells it.
    const probe = `partwise-probe:${crypto.randomUUID()}`
    await locks.request(probe, async () => {
      const { held = [] } = await locks.query()
      const self = held.find((lock) => lock.name === probe)?.clientId
      for (const { name, clientId } of held) {
        // The records' locks, and those of copies being made (open.ts).
        if (!name?.startsWith('partwise:') && !name?.startsWith('partwise-copy:')) continue
        all.add(name)
        if (clientId === self) mine.add(name)
      }
    })
  } catch {}
  return { mine, all }
}
