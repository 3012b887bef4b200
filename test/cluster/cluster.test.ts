import { readdirSync } from 'node:fs'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { patternBytes } from '../support/bytes.ts'
import { type Cluster, partsStored, startCluster } from '../support/cluster.ts'
import {
  api,
  bucketDigest,
  inBucket,
  type MediaData,
  MIN_PART,
  sha256,
  storedDigest,
  storedKey,
  uploadThrough,
  uploadUrl,
} from './upload.ts'

/**
 * Two stateless nodes on one PostgreSQL and one store (a bucket in Swift, through s3api),
 * behind nginx (round robin): any node takes any request. The nodes are started at the same
 * moment against an empty database.
 */
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster({ store: 's3' })
}, 240_000)

afterAll(() => cluster?.stop(), 60_000)

const origins = () => [cluster.node('a').origin, cluster.node('b').origin]

describe('stateless nodes behind a load balancer', () => {
  it('both nodes started at once against the empty database, and both are ready', async () => {
    for (const origin of origins()) {
      const health = await fetch(`${origin}/healthz`)
      expect(health.status).toBe(200)
    }
    const client = new pg.Client(cluster.postgres.url)
    await client.connect()
    const { rows } = await client.query('SELECT version FROM partwise_migrations')
    await client.end()
    expect(rows).toEqual([{ version: 1 }])
  })

  it('hands out upload URLs on the load balancer, whichever node made them', async () => {
    for (let i = 0; i < 2; i++) {
      expect(new URL(await uploadUrl(cluster)).origin).toBe(cluster.balancer.url)
    }
  })

  it('takes one upload’s parts on both nodes and stores it byte for byte', async () => {
    const before = await Promise.all([...cluster.nodes.values()].map(partsStored))
    // Three parts (5 MiB, 5 MiB, 5 B): round robin gives each node at least one.
    const bytes = patternBytes(2 * MIN_PART + 5, 15)
    const media = await uploadThrough(cluster, new Blob([bytes]))
    expect(media.filesize).toBe(bytes.length)
    // Each node's own statistics: both stored parts of this upload.
    const after = await Promise.all([...cluster.nodes.values()].map(partsStored))
    expect((after[0] ?? 0) - (before[0] ?? 0)).toBeGreaterThan(0)
    expect((after[1] ?? 0) - (before[1] ?? 0)).toBeGreaterThan(0)
    // Read back from the bucket itself (GetObject at the key the catalog names)…
    expect(await bucketDigest(cluster, media.id)).toEqual({
      sha256: sha256(bytes),
      size: bytes.length,
    })
    // …and nothing on the nodes' own disk: a node with PostgreSQL and S3 keeps no state there.
    expect(readdirSync(cluster.config.dataDir)).toEqual([])
    // Read back from the store by each node, and served through the load balancer.
    for (const origin of origins()) {
      expect((await storedDigest(origin, media.id)).sha256).toBe(sha256(bytes))
    }
    const served = await fetch(media.sources[0]?.url as string)
    expect(new URL(media.sources[0]?.url as string).origin).toBe(cluster.balancer.url)
    expect(sha256(new Uint8Array(await served.arrayBuffer()))).toBe(sha256(bytes))
  })

  it('makes one file of two completions racing on two nodes, and answers both with it', async () => {
    const url = await uploadUrl(cluster)
    const key = new URL(url).search
    // Part 0 on node A at S3's minimum size, the last part (smaller) on node B.
    const bytes = patternBytes(MIN_PART + 100_000, 3)
    const parts: Array<{ index: number; etag: string }> = []
    for (const [index, origin] of origins().entries()) {
      const body = bytes.subarray(index * MIN_PART, (index + 1) * MIN_PART)
      const response = await fetch(`${origin}/store/resumable${key}`, {
        method: 'PUT',
        headers: { 'X-Upload-Index': String(index), 'Content-Type': 'application/octet-stream' },
        body,
      })
      expect(response.status).toBe(200)
      parts.push(((await response.json()) as { data: { index: number; etag: string } }).data)
    }
    const filesBefore = (await api(cluster, cluster.balancer.url, 'GET', '/files')).json.meta?.total
    const answers = await Promise.all(
      origins().map((origin) =>
        fetch(`${origin}/store/resumable${key}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ parts }),
        }),
      ),
    )
    expect(answers.map((answer) => answer.status)).toEqual([200, 200])
    const media = await Promise.all(
      answers.map(async (answer) => ((await answer.json()) as { data: MediaData }).data),
    )
    expect(media[0]?.id).toBe(media[1]?.id)
    expect(media[0]).toEqual(media[1])
    const filesAfter = (await api(cluster, cluster.balancer.url, 'GET', '/files')).json.meta?.total
    expect(filesAfter).toBe((filesBefore as number) + 1)
    expect((await bucketDigest(cluster, media[0]?.id as string)).sha256).toBe(sha256(bytes))
  })

  it('gives the same Files API answers through either node', async () => {
    const media = await uploadThrough(cluster, new Blob([patternBytes(1000, 9)]))
    const id = media.sources[0]?.id as string
    const [a, b] = origins() as [string, string]
    const same = async (path: string) => {
      const [fromA, fromB] = await Promise.all([
        api(cluster, a, 'GET', path),
        api(cluster, b, 'GET', path),
      ])
      expect(fromA.status).toBe(fromB.status)
      expect(fromA.json.data).toEqual(fromB.json.data)
      return fromA
    }
    expect((await same('/files?limit=100')).status).toBe(200)
    const patched = await api(cluster, a, 'PATCH', `/files/${id}`, {
      metadata: { reviewed: true },
      filename: 'renamed.bin',
    })
    expect(patched.status).toBe(200)
    const read = await same(`/files/${id}`)
    expect(read.json.data).toMatchObject({ filename: 'renamed.bin', metadata: { reviewed: true } })
    expect(read.json.data).toEqual(patched.json.data)
    await same('/files?limit=100')
    const key = await storedKey(cluster, media.id)
    expect(await inBucket(cluster, key)).toBe(true)
    expect((await api(cluster, b, 'DELETE', `/files/${id}`)).status).toBe(200)
    expect((await same(`/files/${id}`)).status).toBe(404)
    await same('/files?limit=100')
    // The bytes left the bucket with the file.
    expect(await inBucket(cluster, key)).toBe(false)
  })
})
