/**
 * What the live stories need from the reference server that `.storybook/main.ts` runs: an
 * upload URL from the session route (the way an app asks its backend, the API key staying on
 * the server), and the control API to slow or break parts.
 */
import { url as origin } from 'virtual:partwise-server'
import type { UploadSession } from '../src/core/index.ts'

/** False in a static build, where no server runs. */
export const live = origin !== ''

export interface FaultRule {
  method?: string
  path?: string
  status?: number
  times?: number
  probability?: number
  latencyMs?: number
}

/** A `url` option: asks the backend route for a session for this file. */
export async function getUploadUrl(file: Blob): Promise<UploadSession> {
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
  if (!live) return
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
