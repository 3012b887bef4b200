/** What the cluster tests share: a backend's session call and a real upload driven from Node. */
import { createHash } from 'node:crypto'
import { createUpload, type UploadOptions } from '../../src/core/index.ts'
import { createUploadSession } from '../../src/server/index.ts'
import type { Cluster } from '../support/cluster.ts'
import { fetchTransport } from '../support/fetch-transport.ts'

/** The app's backend: a resumable upload URL, asked of the load balancer with the API key. */
export async function uploadUrl(cluster: Cluster): Promise<string> {
  const { url } = await createUploadSession({
    apiKey: cluster.config.apiKey,
    baseUrl: cluster.balancer.url,
    resumable: true,
  })
  return url
}

export interface MediaData {
  id: string
  filesize: number
  sources: Array<{ id: string; url: string }>
}

/**
 * The real core uploads `file` through the load balancer: small parts, several in flight, and
 * retries with the core's own backoff. `onSent` hears every request as it goes out.
 */
export async function uploadThrough(
  cluster: Cluster,
  file: Blob,
  options: Partial<UploadOptions> & {
    onSent?: (method: string, index: string | null) => void
  } = {},
): Promise<MediaData> {
  const { onSent, ...rest } = options
  const upload = createUpload(file, {
    url: await uploadUrl(cluster),
    chunkSize: 256 * 1024,
    concurrency: 4,
    maxAttempts: 12,
    retryBaseDelayMs: 100,
    retryMaxDelayMs: 2_000,
    resume: false,
    transport: fetchTransport(onSent),
    ...rest,
  })
  return (await upload.start()) as unknown as MediaData
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

/** The stored bytes' digest, as a node reads them back from the store. */
export async function storedDigest(
  origin: string,
  mediaId: string,
): Promise<{ sha256: string; filesize: number }> {
  const response = await fetch(`${origin}/__control/media/${mediaId}`)
  if (!response.ok) throw new Error(`${origin}: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { data: { sha256: string; filesize: number } }).data
}

/** An API call with the key, answered with its status and envelope. */
export async function api(
  cluster: Cluster,
  origin: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: { data?: unknown; meta?: Record<string, unknown> } }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${cluster.config.apiKey}` }
  const init: RequestInit = { method, headers }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const response = await fetch(origin + path, init)
  return { status: response.status, json: (await response.json()) as { data?: unknown } }
}
