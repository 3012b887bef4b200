/**
 * `--nodes 2` (with `--store s3`): the deployment the README's Deploy section describes, from
 * the cluster tests' own fixtures: a throwaway PostgreSQL (the catalog), two `partwise-server`
 * nodes as processes sharing it, the key, the secret and the bench's S3 bucket, and nginx in
 * front of them, round robin. The harness drives it in its own process.
 *
 * The comparison: partwise through nginx to both nodes, beside partwise to node `a` alone,
 * reached directly; the ceiling is one raw PUT to node `a`. A direct upload's URL is the one
 * the nodes hand out (built on `--public-url`, nginx) with node `a`'s origin put in its place:
 * the key is the URL's only credential, and it names no host.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseS3Url } from '../src/server/storage/s3/location.ts'
import { type ClusterConfig, type ServerNode, startNode } from '../test/support/cluster.ts'
import { type LoadBalancer, startLoadBalancer } from '../test/support/nginx.ts'
import { type Postgres, startPostgres } from '../test/support/postgres.ts'
import { freePort } from '../test/support/processes.ts'
import { objectDigest } from '../test/support/s3.ts'
import type { CommandName, Digest, HostCommands } from './host/protocol.ts'
import { benchS3Client, emptyPrefix } from './host/s3-objects.ts'
import type { BenchHost } from './host-client.ts'
import { readStat } from './proc.ts'
import type { BenchS3 } from './s3.ts'
import type { PartLimits } from './types.ts'

const NAMES = ['a', 'b'] as const

type Handlers = {
  [K in CommandName]: (args: HostCommands[K]['args']) => Promise<HostCommands[K]['result']>
}

export class ClusterHost implements BenchHost {
  readonly #s3 = benchS3Client()
  #cpuMark = 0

  private constructor(
    private readonly postgres: Postgres,
    private readonly balancer: LoadBalancer,
    private readonly nodes: readonly ServerNode[],
    private readonly config: ClusterConfig,
    private readonly location: { bucket: string; prefix: string },
  ) {}

  static async start(s3: BenchS3): Promise<ClusterHost> {
    // The AWS SDK's standard variables reach S3: in the harness's environment, which the nodes
    // inherit, and as the config's `env` where test/support/cluster.ts takes one (a spread, so
    // a ClusterConfig without that field takes it too).
    Object.assign(process.env, s3.env)
    const postgres = await startPostgres()
    const dataDir = mkdtempSync(join(tmpdir(), 'partwise-bench-nodes-'))
    const nodes: ServerNode[] = []
    let balancer: LoadBalancer | undefined
    try {
      const ports = await Promise.all(NAMES.map(() => freePort()))
      balancer = await startLoadBalancer({ upstreams: ports.map((port) => `127.0.0.1:${port}`) })
      const config: ClusterConfig = {
        apiKey: `pw_key_${randomBytes(12).toString('hex')}`,
        signingSecret: randomBytes(24).toString('hex'),
        database: postgres.url,
        dataDir,
        publicUrl: balancer.url,
        args: ['--storage', s3.location],
        ...{ env: s3.env },
      }
      const started = NAMES.map((name, i) => startNode(name, ports[i] as number, config))
      for (const node of await Promise.all(started)) nodes.push(node)
      return new ClusterHost(postgres, balancer, nodes, config, parseS3Url(s3.location))
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop('SIGKILL')))
      await balancer?.stop()
      await postgres.stop()
      await rm(dataDir, { recursive: true, force: true })
      throw error
    }
  }

  get serverPids(): readonly number[] {
    return this.nodes.map((node) => node.child.pid ?? 0)
  }

  /** Node `a`, reached directly. */
  get #direct(): ServerNode {
    return this.nodes[0] as ServerNode
  }

  #cpuSeconds(): number {
    return this.serverPids.reduce((sum, pid) => sum + (readStat(pid)?.cpuSeconds ?? 0), 0)
  }

  async #newSession(origin: string): Promise<{ url: string; partLimits?: PartLimits }> {
    const response = await fetch(`${origin}/uploads`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${this.config.apiKey}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ resumable: true, timeout: 3600 }),
    })
    const body = (await response.json()) as {
      data?: { url?: string; part_limits?: PartLimits }
    }
    if (!body.data?.url) throw new Error(`POST /uploads answered ${response.status}`)
    const { url, part_limits } = body.data
    return part_limits ? { url, partLimits: part_limits } : { url }
  }

  /** Part PUTs each node answered with a 2xx since the last `begin`: both must take some. */
  async #partsPerNode(): Promise<string> {
    const counts = await Promise.all(
      this.nodes.map(async (node) => {
        const { requests } = await node.stats()
        const parts = requests.filter((r) => r.method === 'PUT' && r.status === 200).length
        return `${node.name} ${parts}`
      }),
    )
    return counts.join(', ')
  }

  async #verify(kind: string, remoteId: string | null): Promise<Digest> {
    const { bucket, prefix } = this.location
    let digest: Digest
    if (kind === 'ceiling') digest = await objectDigest(this.#s3, bucket, `${prefix}bench/raw`)
    else {
      const id = encodeURIComponent(remoteId ?? '')
      const response = await fetch(`${this.#direct.origin}/__control/media/${id}`)
      const body = (await response.json()) as { data?: { sha256: string; filesize: number } }
      if (!body.data) throw new Error(`GET /__control/media/${id} answered ${response.status}`)
      digest = { sha256: body.data.sha256, size: body.data.filesize }
    }
    await emptyPrefix(this.#s3, bucket, prefix)
    return digest
  }

  readonly #handlers: Handlers = {
    info: async () => ({ origin: this.balancer.url }),
    prepare: async ({ kind, route }) => {
      const direct = this.#direct.origin
      if (kind === 'ceiling') return { url: `${direct}/__bench/raw` }
      if (kind !== 'partwise') throw new Error(`--nodes 2 runs no ${kind} server`)
      if (route === 'balancer') return this.#newSession(this.balancer.url)
      const session = await this.#newSession(direct)
      const url = new URL(session.url)
      return { ...session, url: new URL(`${url.pathname}${url.search}`, direct).href }
    },
    begin: async () => {
      await Promise.all(
        this.nodes.map((node) => fetch(`${node.origin}/__control/reset`, { method: 'POST' })),
      )
      this.#cpuMark = this.#cpuSeconds()
      return null
    },
    end: async () => {
      const cpuSeconds = this.#cpuSeconds() - this.#cpuMark
      console.log(`  parts stored per node: ${await this.#partsPerNode()}`)
      // The nodes run in their own processes: no wire tap sees their requests.
      return { cpuSeconds, records: [] }
    },
    verify: ({ kind, remoteId }) => this.#verify(kind, remoteId),
  }

  call<K extends CommandName>(
    command: K,
    args: HostCommands[K]['args'],
  ): Promise<HostCommands[K]['result']> {
    const handler = this.#handlers[command] as (args: unknown) => Promise<unknown>
    return handler(args) as Promise<HostCommands[K]['result']>
  }

  async stop(): Promise<void> {
    this.#s3.destroy()
    await Promise.all(this.nodes.map((node) => node.stop('SIGTERM')))
    await this.balancer.stop()
    await this.postgres.stop()
    await rm(this.config.dataDir, { recursive: true, force: true })
  }
}
