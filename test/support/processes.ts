/**
 * What the fixtures that run real servers (PostgreSQL, nginx, cluster nodes) share: a free
 * loopback port, an unprivileged user to run them as when the tests run as root, and stopping a
 * child by its PID (never by name) and waiting for it to be gone.
 */
import { type ChildProcess, spawnSync } from 'node:child_process'
import { chownSync } from 'node:fs'
import { createServer } from 'node:net'

/** A port that was free on 127.0.0.1 a moment ago (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

export interface Account {
  name: string
  uid: number
  gid: number
}

function lookUp(name: string): Account | null {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' })
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' })
  if (uid.status !== 0 || gid.status !== 0) return null
  return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) }
}

/**
 * Who a server should run as: null when the tests are not root (it runs as the current user);
 * as root, the first of `names` that exists. PostgreSQL refuses to run as root, and a server
 * started by a test has no business holding root's rights anyway.
 */
export function unprivileged(names: readonly string[]): Account | null {
  if (process.getuid?.() !== 0) return null
  for (const name of names) {
    const account = lookUp(name)
    if (account) return account
  }
  throw new Error(`Running as root, and none of the users ${names.join(', ')} exists to run as`)
}

/** Hands `paths` to `account` (when there is one), so the server it runs can write there. */
export function handOver(account: Account | null, ...paths: string[]): void {
  if (!account) return
  for (const path of paths) chownSync(path, account.uid, account.gid)
}

const alive = new Map<ChildProcess, NodeJS.Signals>()

/**
 * Ends `child` with `signal` if this process exits first (a crashed or cut-short test run),
 * so no server outlives the tests that started it. Nothing else is ever killed.
 */
export function track(child: ChildProcess, signal: NodeJS.Signals): void {
  if (alive.size === 0) process.once('exit', endTracked)
  alive.set(child, signal)
  child.once('exit', () => alive.delete(child))
}

function endTracked(): void {
  for (const [child, signal] of alive) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, signal)
      } catch {
        // Already gone.
      }
    }
  }
}

/** Resolves once the child has exited (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

/**
 * Sends `signal` to the child by its PID and waits for it to exit; past `graceMs`, SIGKILL.
 * A child that already exited is left alone (its PID may belong to someone else by now).
 */
export async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
  const pid = child.pid
  const gone = exited(child)
  process.kill(pid, signal)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), graceMs)
  })
  if ((await Promise.race([gone, late])) === 'late') {
    if (child.exitCode === null && child.signalCode === null) process.kill(pid, 'SIGKILL')
    await gone
  }
  clearTimeout(timer)
}

/** Polls `check` until it resolves true, or rejects with `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}
