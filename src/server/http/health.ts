import type { Reply } from './reply.ts'

/** Something the server cannot answer without: the database, the store. */
export interface Dependency {
  check(): Promise<void>
}

/** How long one check may take before it counts as not answering (a hung database). */
export const HEALTH_TIMEOUT_MS = 2_000

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

/**
 * `GET /healthz`, for load balancers: 200 only while every dependency answers and the node is
 * not shutting down; else 503 with `Retry-After`, naming what failed (never a credential: the
 * messages are the dependencies' own, which name the store or database, not secrets). The
 * checks run on every call: a cached "ready" would keep a node in rotation after its database
 * went away.
 */
export async function healthReply(
  dependencies: Readonly<Record<string, Dependency>>,
  draining: boolean,
): Promise<Reply> {
  const checks: Record<string, string> = {}
  await Promise.all(
    Object.entries(dependencies).map(async ([name, dependency]) => {
      try {
        await within(dependency.check(), HEALTH_TIMEOUT_MS)
        checks[name] = 'ok'
      } catch (error) {
        checks[name] = error instanceof Error ? error.message : String(error)
      }
    }),
  )
  const ready = !draining && Object.values(checks).every((state) => state === 'ok')
  const data = { status: ready ? 'ready' : draining ? 'shutting down' : 'unavailable', checks }
  return ready
    ? { kind: 'json', status: 200, data }
    : { kind: 'json', status: 503, data, headers: { 'Retry-After': '2' } }
}
