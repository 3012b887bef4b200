/**
 * Test-side helpers that talk to the reference server over real HTTP: create sessions as an
 * app's backend would, inject faults, read what the server received. Used from Chromium.
 */
import { inject } from 'vitest'
import type { Conditions } from '../../src/conditions/types.ts'
import type { FaultRule, UploadStats } from '../../src/server/index.ts'

export type { FaultRule }

export const serverUrl = (): string => inject('serverUrl')

async function call<T>(method: string, path: string, body?: unknown, auth = false): Promise<T> {
  const headers: Record<string, string> = {}
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (auth) headers.Authorization = `Bearer ${inject('apiKey')}`
  const init: RequestInit = { method, headers }
  if (body !== undefined) init.body = JSON.stringify(body)
  const response = await fetch(serverUrl() + path, init)
  const json = (await response.json()) as { data: T; error?: { message: string } }
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.error?.message}`)
  return json.data
}

export interface SessionData {
  url: string
  conditions?: Conditions
  expires?: string
}

/** What an app's backend route does: POST /uploads with the API key. */
export function createSession(
  body: Record<string, unknown> = { resumable: true },
): Promise<SessionData> {
  return call<SessionData>('POST', '/uploads', body, true)
}

export const setFaults = (rules: FaultRule[]): Promise<unknown> =>
  call('PUT', '/__control/faults', { rules })
export const resetServer = (): Promise<unknown> => call('POST', '/__control/reset')
export const expireUrl = (url: string): Promise<unknown> =>
  call('POST', '/__control/expire', { url })

export type ServerStats = UploadStats
export const serverStats = (): Promise<ServerStats> => call<ServerStats>('GET', '/__control/stats')
export const storedMedia = (id: string): Promise<{ sha256: string; filesize: number }> =>
  call('GET', `/__control/media/${id}`)

/** PUT requests for parts, as the server saw them. */
export async function partRequests(): Promise<ServerStats['requests']> {
  const stats = await serverStats()
  return stats.requests.filter((r) => r.method === 'PUT' && r.path === '/store/resumable')
}

/**
 * Resolves once no request the server has seen is still in flight: after an upload is dropped
 * (cancelled, a tab closed), its aborted parts have all arrived and ended, so the requests
 * logged from then on are another upload's.
 */
export async function serverSettled(): Promise<void> {
  while ((await serverStats()).requests.some((r) => r.endedAt === 0)) {
    await new Promise((done) => setTimeout(done, 20))
  }
}
