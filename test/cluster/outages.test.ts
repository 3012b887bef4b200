import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { patternBytes } from '../support/bytes.ts'
import { type Cluster, startCluster } from '../support/cluster.ts'
import { waitUntil } from '../support/processes.ts'
import { api, sha256, storedDigest, uploadThrough, uploadUrl } from './upload.ts'

/** Nodes die, the database stops, a node is told to stop: no upload is lost to any of it. */
let cluster: Cluster

beforeAll(async () => {
  cluster = await startCluster()
}, 180_000)

afterAll(() => cluster?.stop(), 60_000)

const alive = (name: string) => cluster.node(name).child.exitCode === null
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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
    const bytes = patternBytes(4 * 1024 * 1024, 21)
    const { onSent, reached, sent } = partsSent(6)
    // A holds every part 3 s before storing it, so parts are surely in flight on A when it dies
    // as the 6th part goes out.
    const held = await fetch(`${cluster.node('a').origin}/__control/faults`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        rules: [{ method: 'PUT', path: '/store/resumable', latencyMs: 3000 }],
      }),
    })
    expect(held.status).toBe(200)
    const killed = reached.then(() => cluster.node('a').stop('SIGKILL'))
    const media = await uploadThrough(cluster, new Blob([bytes]), { onSent })
    await killed
    expect(cluster.node('a').child.signalCode).toBe('SIGKILL')
    // 16 parts; the ones that died with A were sent again, through the balancer, to B.
    expect(sent()).toBeGreaterThan(16)
    expect(alive('b')).toBe(true)
    expect((await storedDigest(cluster.node('b').origin, media.id)).sha256).toBe(sha256(bytes))
    await cluster.restart('a')
  })

  it('answers 503 with Retry-After while PostgreSQL is stopped, and completes once it is back', async () => {
    const bytes = patternBytes(3 * 1024 * 1024, 33)
    const { onSent, reached } = partsSent(4)
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
  })

  it('finishes the part in flight on SIGTERM, takes no new request, then exits', async () => {
    const node = cluster.node('b')
    const url = new URL(await uploadUrl(cluster))
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
    expect(JSON.parse(text).data).toMatchObject({ index: 0 })
    expect(await node.exit).toBe(0)
    await cluster.restart('b')
  })
})
