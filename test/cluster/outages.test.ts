import { request } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { patternBytes } from '../support/bytes.ts'
import { type Cluster, startCluster } from '../support/cluster.ts'
import { waitUntil } from '../support/processes.ts'
import {
  api,
  bucketDigest,
  MIN_PART,
  partHeld,
  sha256,
  storedDigest,
  uploadThrough,
  uploadUrl,
} from './upload.ts'

/**
 * Nodes die, the database stops, the store stops, a node is told to stop: no upload is lost to
 * any of it. The store is a bucket in Swift (s3api), shared by both nodes.
 */
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster({ store: 's3' })
}, 240_000)

afterAll(() => cluster?.stop(), 60_000)

// A case that failed halfway may leave a node down: the next case starts with both up.
afterEach(async () => {
  for (const [name, node] of cluster.nodes) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) await cluster.restart(name)
  }
}, 120_000)

const alive = (name: string) => cluster.node(name).child.exitCode === null
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One part PUT to an upload URL (through the balancer): its status, receipt and Retry-After. */
async function putPart(url: string, index: number, body: Uint8Array<ArrayBuffer>) {
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'X-Upload-Index': String(index), 'Content-Type': 'application/octet-stream' },
    body,
  })
  const json = (await response.json()) as { data?: { index: number; etag: string } }
  return {
    status: response.status,
    part: json.data,
    retryAfter: response.headers.get('Retry-After'),
  }
}

/** Resolves when the `count`-th part PUT goes out; `sent()` counts them all, retries included. */
function partsSent(count: number) {
  let sent = 0
  let reached: () => void = () => undefined
  const promise = new Promise<void>((resolve) => {
    reached = resolve
  })
  const onSent = (method: string) => {
    if (method === 'PUT' && ++sent === count) reached()
  }
  return { onSent, reached: promise, sent: () => sent }
}

describe('a cluster under faults', () => {
  it('completes an upload through node B when node A is killed mid-upload', async () => {
    // Five parts (four of 5 MiB, then 64 KiB), four at a time.
    const bytes = patternBytes(4 * MIN_PART + 65_536, 21)
    const { onSent, reached, sent } = partsSent(4)
    // A holds every part 3 s before storing it; it dies once a part is in flight on it (its own
    // statistics list the PUT, not yet answered). Round robin sends it two of the first four.
    const held = await fetch(`${cluster.node('a').origin}/__control/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 3000 }],
      }),
    })
    expect(held.status).toBe(200)
    const node = cluster.node('a')
    const killed = reached.then(async () => {
      await waitUntil('a part in flight on node A', async () =>
        (await node.stats()).requests.some(
          (r) => r.method === 'PUT' && r.path === '/store/resumable' && r.status === 0,
        ),
      )
      await node.stop('SIGKILL')
    })
    const media = await uploadThrough(cluster, new Blob([bytes]), { onSent })
    await killed
    expect(cluster.node('a').child.signalCode).toBe('SIGKILL')
    // 5 parts; the ones that died with A were sent again, through the balancer, to B.
    expect(sent()).toBeGreaterThan(5)
    expect(alive('b')).toBe(true)
    expect(await bucketDigest(cluster, media.id)).toEqual({
      sha256: sha256(bytes),
      size: bytes.length,
    })
    await cluster.restart('a')
  })

  it('answers 503 with Retry-After while PostgreSQL is stopped, and completes once it is back', async () => {
    // Four parts (three of 5 MiB, then 64 KiB); PostgreSQL stops as the second goes out.
    const bytes = patternBytes(3 * MIN_PART + 65_536, 33)
    const { onSent, reached } = partsSent(2)
    const outage = reached.then(async () => {
      await cluster.postgres.stopServer()
      try {
        for (const node of cluster.nodes.values()) {
          const health = await fetch(`${node.origin}/healthz`)
          expect(health.status).toBe(503)
          const files = await api(cluster, node.origin, 'GET', '/files')
          expect(files.status).toBe(503)
          const again = await fetch(`${node.origin}/files`, {
            headers: { Authorization: `Bearer ${cluster.config.apiKey}` },
          })
          expect(Number(again.headers.get('Retry-After'))).toBeGreaterThan(0)
        }
        await pause(1_500)
      } finally {
        await cluster.postgres.startServer()
      }
    })
    const media = await uploadThrough(cluster, new Blob([bytes]), { onSent })
    await outage
    expect(alive('a') && alive('b')).toBe(true)
    for (const node of cluster.nodes.values()) {
      expect((await fetch(`${node.origin}/healthz`)).status).toBe(200)
      expect((await storedDigest(node.origin, media.id)).sha256).toBe(sha256(bytes))
    }
    expect((await bucketDigest(cluster, media.id)).sha256).toBe(sha256(bytes))
  })

  it('is not ready while the store is stopped, answers a part 503 with Retry-After, and completes once it is back', async () => {
    if (cluster.store.kind !== 's3') throw new Error('This case stops the Swift proxy')
    const { swift } = cluster.store
    const url = await uploadUrl(cluster)
    const bytes = patternBytes(MIN_PART + 1_000, 44)
    const first = await putPart(url, 0, bytes.subarray(0, MIN_PART))
    expect(first.status).toBe(200)
    await swift.stopProxy()
    try {
      for (const node of cluster.nodes.values()) {
        const health = await fetch(`${node.origin}/healthz`)
        expect(health.status).toBe(503)
        expect(Number(health.headers.get('Retry-After'))).toBeGreaterThan(0)
        const { data } = (await health.json()) as {
          data: { status: string; checks: Record<string, string> }
        }
        // The database answers; the store does not, and the check says so.
        expect(data.status).toBe('unavailable')
        expect(data.checks.database).toBe('ok')
        expect(data.checks.store).not.toBe('ok')
      }
      // Through the balancer, whichever node takes it: retry later, never a 500.
      const refused = await putPart(url, 1, bytes.subarray(MIN_PART))
      expect(refused.status).toBe(503)
      expect(Number(refused.retryAfter)).toBeGreaterThan(0)
    } finally {
      // A restarted proxy takes 1.5-8 s to answer on a busy two-core machine.
      await swift.startProxy()
    }
    for (const node of cluster.nodes.values()) {
      await waitUntil(
        `node ${node.name} to be ready again`,
        async () => (await fetch(`${node.origin}/healthz`)).status === 200,
        60_000,
        200,
      )
    }
    expect(alive('a') && alive('b')).toBe(true)
    // As the client would: a 503 is tried again after its Retry-After (a node's pooled link to
    // the old proxy may fail once), a few times.
    let last = await putPart(url, 1, bytes.subarray(MIN_PART))
    for (let attempt = 1; attempt < 5 && last.status === 503; attempt++) {
      await pause(Number(last.retryAfter) * 1000)
      last = await putPart(url, 1, bytes.subarray(MIN_PART))
    }
    expect(last.status).toBe(200)
    const done = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ parts: [first.part, last.part] }),
    })
    expect(done.status).toBe(200)
    const media = ((await done.json()) as { data: { id: string } }).data
    expect((await bucketDigest(cluster, media.id)).sha256).toBe(sha256(bytes))
  })

  it('finishes the part in flight on SIGTERM, takes no new request, then exits', async () => {
    const node = cluster.node('b')
    const url = new URL(await uploadUrl(cluster))
    // Below S3's 5 MiB, which only parts before the last must reach: as the only part so far,
    // part 0 may be the last, and the store takes it.
    const body = patternBytes(512 * 1024, 5)
    let req: ReturnType<typeof request> | undefined
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = request(
        `${node.origin}/store/resumable${url.search}`,
        {
          method: 'PUT',
          headers: {
            'Content-Type': 'application/octet-stream',
            'Content-Length': String(body.length),
            'X-Upload-Index': '0',
          },
        },
        (res) => {
          let text = ''
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString()
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
    })
    // Half the part now; the rest once the node was told to stop.
    req?.write(body.subarray(0, body.length / 2))
    await pause(500)
    node.child.kill('SIGTERM')
    // Soon no longer taking requests (a busy machine may take a moment to deliver the signal)…
    await waitUntil('node b to stop taking connections', () =>
      fetch(`${node.origin}/healthz`).then(
        () => false,
        () => true,
      ),
    )
    // …but still running, with the part in flight.
    expect(alive('b')).toBe(true)
    req?.end(body.subarray(body.length / 2))
    const { status, text } = await answer
    expect(status).toBe(200)
    const receipt = (JSON.parse(text) as { data: { index: number; etag: string } }).data
    expect(receipt).toMatchObject({ index: 0 })
    expect(await node.exit).toBe(0)
    // The receipt came from a node that is gone: the bucket and the catalog both hold the part.
    const held = { etag: receipt.etag, size: body.length }
    expect(await partHeld(cluster, url.href, 0)).toEqual({ catalog: held, store: held })
    await cluster.restart('b')
  })
})
