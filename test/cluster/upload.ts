/** What the cluster tests share: a backend's session call and a real upload driven from Node. */
import { createHash } from 'node:crypto'
import { ListPartsCommand } from '@aws-sdk/client-s3'
import pg from 'pg'
import { createUpload, type UploadOptions } from '../../src/core/index.ts'
import { createUploadSession } from '../../src/server/index.ts'
import type { Cluster } from '../support/cluster.ts'
import { fetchTransport } from '../support/fetch-transport.ts'
import { objectDigest, objectExists } from '../support/s3.ts'

/** S3's smallest part but the last: the part size that keeps these uploads few bytes and fast. */
export const MIN_PART = 5 * 1024 * 1024

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
 * The real core uploads `file` through the load balancer: parts of S3's minimum size (a part
 * count, not a byte count, is what the cases need), several in flight, and retries with the
 * core's own backoff. `onSent` hears every request as it goes out.
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
    chunkSize: MIN_PART,
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

/** One record's JSON from the catalog (PostgreSQL, read directly rather than through a node). */
async function catalogRecord<T>(cluster: Cluster, sql: string, id: string): Promise<T | null> {
  const client = new pg.Client(cluster.postgres.url)
  await client.connect()
  try {
    const { rows } = await client.query<{ record: string }>(sql, [id])
    return rows[0] ? (JSON.parse(rows[0].record) as T) : null
  } finally {
    await client.end()
  }
}

/** The bucket's key of a media's bytes, as the catalog says. */
export async function storedKey(cluster: Cluster, mediaId: string): Promise<string> {
  const { prefix } = bucketOf(cluster)
  const record = await catalogRecord<{ manifest?: { path: string }[] }>(
    cluster,
    'SELECT record FROM files WHERE media_id = $1 ORDER BY seq LIMIT 1',
    mediaId,
  )
  const path = record?.manifest?.length === 1 ? record.manifest[0]?.path : undefined
  if (path === undefined) throw new Error(`No one-object manifest for ${mediaId}`)
  return prefix + path
}

/**
 * Part `index` of the upload at `url` as the catalog records it and as the bucket holds it
 * (ListParts of the session's multipart upload): what a receipt promises is in both.
 */
export async function partHeld(
  cluster: Cluster,
  url: string,
  index: number,
): Promise<{ catalog?: { etag: string; size: number }; store?: { etag: string; size: number } }> {
  const { client, bucket, prefix } = bucketOf(cluster)
  // The upload key is `<session id>.<expiry>.<signature>` (src/server/uploads/keys.ts).
  const sessionId = (new URL(url).searchParams.get('key') ?? '').split('.')[0] as string
  const session = await catalogRecord<{
    uploadId?: string
    parts: Record<string, { etag: string; size: number }>
  }>(cluster, 'SELECT record FROM sessions WHERE id = $1', sessionId)
  if (!session?.uploadId) throw new Error(`No multipart upload for session ${sessionId}`)
  const { Parts } = await client.send(
    new ListPartsCommand({
      Bucket: bucket,
      Key: `${prefix}sessions/${sessionId}`,
      UploadId: session.uploadId,
    }),
  )
  const listed = Parts?.find((part) => part.PartNumber === index + 1)
  const recorded = session.parts[String(index)]
  return {
    ...(recorded ? { catalog: { etag: recorded.etag, size: recorded.size } } : {}),
    ...(listed ? { store: { etag: listed.ETag ?? '', size: listed.Size ?? 0 } } : {}),
  }
}

/** The S3 store, for the cases that read the bucket directly. */
function bucketOf(cluster: Cluster) {
  if (cluster.store.kind !== 's3') throw new Error('The cluster does not store in S3')
  return cluster.store
}

/** sha256 and size of a media's object, read from the bucket by GetObject: no node between. */
export async function bucketDigest(
  cluster: Cluster,
  mediaId: string,
): Promise<{ sha256: string; size: number }> {
  const { client, bucket } = bucketOf(cluster)
  return objectDigest(client, bucket, await storedKey(cluster, mediaId))
}

/** Whether the bucket holds `key` (HeadObject). */
export function inBucket(cluster: Cluster, key: string): Promise<boolean> {
  const { client, bucket } = bucketOf(cluster)
  return objectExists(client, bucket, key)
}
