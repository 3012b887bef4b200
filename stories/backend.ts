/**
 * Where the live stories upload. Beside the dev server (`npm run storybook`, and the Vitest
 * `storybook` project) that is the reference server `.storybook/main.ts` runs: an upload URL
 * from its session route (the way an app asks its backend, the API key staying on the server),
 * and its control API to slow or break parts. In a static build (`storybook build`, what is
 * published) no server runs, and `virtual:partwise-server` is '': the stories then upload to a
 * server in the page (memory-server.ts) through the core's `transport` option, with the same
 * fault rules.
 */
import { url as origin } from 'virtual:partwise-server'
import type { UploadOptions, UploadSession } from '../src/core/index.ts'
import { type FaultRule, MemoryServer } from './memory-server.ts'

export type { FaultRule } from './memory-server.ts'

/** The in-page server, in a static build only. */
const memory = origin === '' ? new MemoryServer() : null

/** Whether the stories upload to the in-page server (a static build). */
export const inPage = memory !== null

/**
 * What every live story spreads into its options: the in-page server's `transport`, or nothing
 * (the core's XHR) beside the reference server.
 */
export const serverOptions: Pick<UploadOptions, 'transport'> = memory
  ? { transport: memory.transport }
  : {}

/** A `url` option: asks the backend for a session for this file. */
export async function getUploadUrl(file: Blob): Promise<UploadSession> {
  if (memory) return memory.createSession(file)
  const response = await fetch('/api/upload-session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resumable: true, filename: (file as Partial<File>).name }),
  })
  if (!response.ok) throw new Error(`The session route answered ${response.status}`)
  return (await response.json()) as UploadSession
}

/** Slows or breaks the parts. Global to the server: the stories run one at a time. */
export async function setFaults(rules: FaultRule[]): Promise<void> {
  if (memory) return memory.setFaults(rules)
  await fetch(`${origin}/__control/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ rules }),
  })
}

/** For a story's `beforeEach`: these faults while it runs, none after. */
export const withFaults = (rules: FaultRule[]) => async () => {
  await setFaults(rules)
  return () => setFaults([])
}

const PARTS = { method: 'PUT', path: '/store/resumable' }
export const slowParts = (latencyMs = 250): FaultRule[] => [{ ...PARTS, latencyMs }]
export const failingParts = (status: number, extra: Partial<FaultRule> = {}): FaultRule[] => [
  { ...PARTS, status, ...extra },
]

/** A file of `size` bytes of a repeating pattern, made in the browser. */
export function sampleFile(
  size: number,
  name = 'sample.bin',
  type = 'application/octet-stream',
): File {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff
  return new File([bytes], name, { type, lastModified: 1_700_000_000_000 })
}
