/**
 * Reference server nodes as separate processes (`partwise-server` from source), so a test can
 * SIGKILL one or SIGTERM it, as an operator or a crash would: what a node kept only in its
 * memory then dies with it. Nodes of one cluster share the API key, the signing secret, the
 * database and the store; each listens on its own free 127.0.0.1 port and is stopped by PID.
 *
 * A node is configured the way the README's "Deploy" section configures one: DATABASE_URL,
 * PARTWISE_API_KEY, PARTWISE_SIGNING_SECRET, PARTWISE_PUBLIC_URL, PARTWISE_STORAGE and the AWS
 * SDK's own AWS_* variables in its environment, so the tests hold that setup to its word.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { S3Client } from '@aws-sdk/client-s3'
import type { UploadStats } from '../../src/server/index.ts'
import { type LoadBalancer, startLoadBalancer } from './nginx.ts'
import { type Postgres, startPostgres } from './postgres.ts'
import { exited, freePort, stopChild, track, waitUntil } from './processes.ts'
import { newBucket, rawClient } from './s3.ts'
import { type SwiftFixture, startSwift } from './swift.ts'

const MAIN = fileURLToPath(new URL('./server-node.ts', import.meta.url))

export interface ClusterConfig {
  apiKey: string
  signingSecret: string
  /** `postgres://…` */
  database: string
  /**
   * The shared data directory: the disk store when `storage` is not set. With PostgreSQL and
   * S3 a node writes nothing there.
   */
  dataDir: string
  /** What upload URLs are built on: the load balancer. */
  publicUrl?: string
  /** `s3://BUCKET/PREFIX`: the shared store (PARTWISE_STORAGE); unset, the disk in `dataDir`. */
  storage?: string
  /** More environment for every node: the AWS SDK's AWS_* variables that reach the store. */
  env?: Readonly<Record<string, string>>
  /** More command-line arguments, for every node. */
  args?: readonly string[]
}

// What a node's configuration is read from; the test process's own values never leak into it.
const NODE_ENV = [
  'DATABASE_URL',
  'PARTWISE_API_KEY',
  'PARTWISE_SIGNING_SECRET',
  'PARTWISE_PUBLIC_URL',
  'PARTWISE_STORAGE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
]

/** The README's environment for a node of this cluster. */
function nodeEnv(config: ClusterConfig): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env }
  for (const name of NODE_ENV) delete env[name]
  return {
    ...env,
    DATABASE_URL: config.database,
    PARTWISE_API_KEY: config.apiKey,
    PARTWISE_SIGNING_SECRET: config.signingSecret,
    ...(config.publicUrl ? { PARTWISE_PUBLIC_URL: config.publicUrl } : {}),
    ...(config.storage ? { PARTWISE_STORAGE: config.storage } : {}),
    // The SDK's notice that its 2027 releases need Node 22 would only clutter a node's output.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...config.env,
  }
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
    ...(config.args ?? []),
  ]
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: nodeEnv(config),
  })
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

/** The store the nodes share. */
export type ClusterStore =
  | { readonly kind: 'disk'; readonly dataDir: string }
  | {
      readonly kind: 's3'
      readonly swift: SwiftFixture
      readonly bucket: string
      /** The key prefix the nodes store under (`s3://BUCKET/PREFIX`). */
      readonly prefix: string
      /** The test's own S3 client, to read the bucket directly (not through a node). */
      readonly client: S3Client
    }

export interface ClusterOptions {
  /**
   * `'s3'`: a fresh bucket in Swift (s3api), as the storage issue's store; `'disk'`: one data
   * directory every node uses, as nodes sharing a mounted volume would. @default 'disk'
   */
  store?: 'disk' | 's3'
  /** With `store: 's3'`, a Swift already running (left running by `stop()`); else one of its own. */
  swift?: SwiftFixture
}

export interface Cluster {
  readonly postgres: Postgres
  readonly balancer: LoadBalancer
  readonly config: ClusterConfig
  readonly store: ClusterStore
  /** The nodes by name; `restart` replaces an entry. */
  readonly nodes: Map<string, ServerNode>
  node(name: string): ServerNode
  /** Starts the named node again on its port (after a kill or a SIGTERM). */
  restart(name: string): Promise<ServerNode>
  stop(): Promise<void>
}

const S3_PREFIX = 'cluster/'

/** Resolves every promise, or stops the ones that started and rethrows the first failure. */
async function allStarted<T extends { stop(): Promise<void> }>(
  starting: ReadonlyArray<Promise<T> | undefined>,
): Promise<Array<T | undefined>> {
  const settled = await Promise.allSettled(starting.map((start) => start ?? undefined))
  const failed = settled.find((result) => result.status === 'rejected')
  if (failed) {
    await Promise.all(
      settled.map((result) => (result.status === 'fulfilled' ? result.value?.stop() : undefined)),
    )
    throw failed.reason
  }
  return settled.map((result) => (result.status === 'fulfilled' ? result.value : undefined))
}

/**
 * A throwaway PostgreSQL, the shared store (a data directory, or a bucket in Swift), nodes `a`
 * and `b` started at the same moment against the empty database, and nginx in front of them.
 */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const useS3 = options.store === 's3'
  const ownsSwift = useS3 && !options.swift
  // PostgreSQL and Swift start side by side: each takes seconds on a busy machine.
  const [postgres, startedSwift] = (await allStarted<Postgres | SwiftFixture>([
    startPostgres(),
    ownsSwift ? startSwift() : undefined,
  ])) as [Postgres, SwiftFixture | undefined]
  const swift = options.swift ?? startedSwift
  const dataDir = mkdtempSync(join(tmpdir(), 'partwise-cluster-'))
  const names = ['a', 'b']
  const ports = new Map<string, number>()
  for (const name of names) ports.set(name, await freePort())
  const nodes = new Map<string, ServerNode>()
  let balancer: LoadBalancer | undefined
  let s3: S3Client | undefined
  const config: ClusterConfig = {
    apiKey: `pw_key_${randomBytes(12).toString('hex')}`,
    signingSecret: randomBytes(24).toString('hex'),
    database: postgres.url,
    dataDir,
  }
  const stop = async () => {
    await Promise.all([...nodes.values()].map((node) => node.stop('SIGKILL')))
    await balancer?.stop()
    s3?.destroy()
    await Promise.all([postgres.stop(), ownsSwift ? swift?.stop() : undefined])
    await rm(dataDir, { recursive: true, force: true })
  }
  let store: ClusterStore = { kind: 'disk', dataDir }
  try {
    if (swift) {
      s3 = rawClient(swift)
      const bucket = await newBucket(s3)
      store = { kind: 's3', swift, bucket, prefix: S3_PREFIX, client: s3 }
      config.storage = `s3://${bucket}/${S3_PREFIX}`
      config.env = {
        AWS_ENDPOINT_URL_S3: swift.endpoint,
        AWS_REGION: swift.region,
        AWS_ACCESS_KEY_ID: swift.accessKeyId,
        AWS_SECRET_ACCESS_KEY: swift.secretAccessKey,
      }
    }
    balancer = await startLoadBalancer({
      upstreams: names.map((name) => `127.0.0.1:${ports.get(name)}`),
    })
    config.publicUrl = balancer.url
    const started = await allStarted(
      names.map((name) => startNode(name, ports.get(name) as number, config)),
    )
    for (const node of started) if (node) nodes.set(node.name, node)
  } catch (error) {
    await stop()
    throw error
  }
  const lb = balancer
  return {
    postgres,
    balancer: lb,
    config,
    store,
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
