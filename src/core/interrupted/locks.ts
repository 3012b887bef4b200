/**
 * The Web Locks the core takes per record (`partwise:<key>`, resume-store.ts's claimRecord),
 * as this tab sees them: held here, or held by another tab (continuing elsewhere).
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
        if (!name?.startsWith('partwise:')) continue
        all.add(name)
        if (clientId === self) mine.add(name)
      }
    })
  } catch {}
  return { mine, all }
}
