/**
 * Reference server nodes as separate processes (`partwise-server` from source), so a test can
 * SIGKILL one or SIGTERM it, as an operator or a crash would: what a node kept only in its
 * memory then dies with it. Nodes of one cluster share the API key, the signing secret, the
 * database and the store; each listens on its own free 127.0.0.1 port and is stopped by PID.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UploadStats } from '../../src/server/index.ts'
import { type LoadBalancer, startLoadBalancer } from './nginx.ts'
import { type Postgres, startPostgres } from './postgres.ts'
import { exited, freePort, stopChild, track, waitUntil } from './processes.ts'

const MAIN = fileURLToPath(new URL('./server-node.ts', import.meta.url))

export interface ClusterConfig {
  apiKey: string
  signingSecret: string
  /** `postgres://…` */
  database: string
  /** The shared data directory (the disk store). */
  dataDir: string
  /** What upload URLs are built on: the load balancer. */
  publicUrl?: string
  /** More command-line arguments, for every node. */
  args?: readonly string[]
}

export interface ServerNode {
  readonly name: string
  /** `http://127.0.0.1:PORT`, the node itself (not the load balancer). */
  readonly origin: string
  readonly child: ChildProcess
  /** Everything the node printed. */
  output(): string
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exit: Promise<number | null>
  /** The node's own statistics (`/__control/stats`): which requests it took. */
  stats(): Promise<UploadStats>
  /** Sends `signal` by PID and waits for the exit (SIGKILL past `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>
}

/**
 * Starts one node on `port` (a node started again after a kill takes its old port, so the
 * load balancer's upstream list stays true); resolves once it prints where it listens.
 */
export async function startNode(
  name: string,
  port: number,
  config: ClusterConfig,
): Promise<ServerNode> {
  const args = [
    '--import',
    'tsx',
    MAIN,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--control',
    '--data',
    config.dataDir,
    '--api-key',
    config.apiKey,
    '--signing-secret',
    config.signingSecret,
    '--database',
    config.database,
    ...(config.publicUrl ? ['--public-url', config.publicUrl] : []),
    ...(config.args ?? []),
  ]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  track(child, 'SIGKILL')
  let output = ''
  const append = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exit = exited(child).then(() => child.exitCode)
  let origin = ''
  await Promise.race([
    exit.then(() => {
      throw new Error(`Node ${name} exited at start (${child.exitCode}):\n${output}`)
    }),
    waitUntil(
      `node ${name} to listen`,
      async () => {
        origin = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? ''
        return origin !== ''
      },
      60_000,
    ),
  ])
  return {
    name,
    origin,
    child,
    output: () => output,
    exit,
    async stats() {
      const response = await fetch(`${origin}/__control/stats`)
      return ((await response.json()) as { data: UploadStats }).data
    },
    stop: (signal = 'SIGTERM', graceMs = 15_000) => stopChild(child, signal, graceMs),
  }
}

/** Part PUTs a node answered with a 2xx: the parts it stored. */
export async function partsStored(node: ServerNode): Promise<number> {
  const { requests } = await node.stats()
  return requests.filter(
    (r) => r.method === 'PUT' && r.path === '/store/resumable' && r.status >= 200 && r.status < 300,
  ).length
}

export interface Cluster {
  readonly postgres: Postgres
  readonly balancer: LoadBalancer
  readonly config: ClusterConfig
  /** The nodes by name; `restart` replaces an entry. */
  readonly nodes: Map<string, ServerNode>
  node(name: string): ServerNode
  /** Starts the named node again on its port (after a kill or a SIGTERM). */
  restart(name: string): Promise<ServerNode>
  stop(): Promise<void>
}

/**
 * A throwaway PostgreSQL, a shared data directory, nodes `a` and `b` started at the same
 * moment against the empty database, and nginx in front of them.
 */
export async function startCluster(): Promise<Cluster> {
  const postgres = await startPostgres()
  const dataDir = mkdtempSync(join(tmpdir(), 'partwise-cluster-'))
  const names = ['a', 'b']
  const ports = new Map<string, number>()
  for (const name of names) ports.set(name, await freePort())
  const nodes = new Map<string, ServerNode>()
  let balancer: LoadBalancer | undefined
  const config: ClusterConfig = {
    apiKey: `pw_key_${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(24).toString('hex'),
    database: postgres.url,
    dataDir,
  }
  const stop = async () => {
    await Promise.all([...nodes.values()].map((node) => node.stop('SIGKILL')))
    await balancer?.stop()
    await postgres.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
  try {
    balancer = await startLoadBalancer({
      upstreams: names.map((name) => `127.0.0.1:${ports.get(name)}`),
    })
    config.publicUrl = balancer.url
    const started = await Promise.all(
      names.map((name) => startNode(name, ports.get(name) as number, config)),
    )
    for (const node of started) nodes.set(node.name, node)
  } catch (error) {
    await stop()
    throw error
  }
  const lb = balancer
  return {
    postgres,
    balancer: lb,
    config,
    nodes,
    node(name) {
      const node = nodes.get(name)
      if (!node) throw new Error(`No node ${name}`)
      return node
    },
    async restart(name) {
      await nodes.get(name)?.stop('SIGKILL')
      const node = await startNode(name, ports.get(name) as number, config)
      nodes.set(name, node)
      return node
    },
    stop,
  }
}
