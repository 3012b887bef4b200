import { parseArgs } from 'node:util'
import { createUploadServer } from '../server.ts'
import { isS3Url, parseS3Url } from '../storage/s3/location.ts'
import type { UploadServerOptions } from '../types.ts'

const USAGE = `Usage: partwise-server [options]

Starts the partwise reference upload server and prints its origin and API key.

  --port <n>              port to listen on (default: 0, a free port)
  --host <address>        address to bind (default: 127.0.0.1)
  --data <dir>            where the database and files live, kept across runs
                          (default: a temporary directory, removed on exit)
  --api-key <key>         the API key (default: random; also PARTWISE_API_KEY)
  --signing-secret <s>    secret upload URLs are signed with; keep it with --data so
                          upload URLs survive a restart (also PARTWISE_SIGNING_SECRET)
  --storage <s3://B/P>    keep parts and files in S3 (or any S3-compatible store) under
                          bucket B, prefix P; endpoint, region and credentials from the
                          AWS SDK's environment: AWS_ENDPOINT_URL_S3, AWS_REGION,
                          AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE
                          (also PARTWISE_STORAGE; default: the data directory)
  --control               enable /__control (fault injection, stats)
  --allow-private-urls    let POST /files fetch loopback and private addresses
  --database <url>        postgres://user:password@host/db keeps the records in
                          PostgreSQL, shared by every node behind a load balancer
                          (default: SQLite in --data; also DATABASE_URL)
  --public-url <origin>   the origin clients reach this server at (a load balancer):
                          upload and file URLs are built on it (also PARTWISE_PUBLIC_URL)
  --shutdown-grace <s>    seconds requests in flight may take to finish after
                          SIGTERM or SIGINT (default: 25)
  -h, --help              show this help
`

/** What the command line asks for, beyond the server's own options. */
export interface CliOptions extends UploadServerOptions {
  /** Milliseconds in-flight requests get to finish on SIGTERM. */
  shutdownGraceMs?: number
}

const DEFAULT_SHUTDOWN_GRACE_S = 25

/** What the command line asks for, or the usage text when it asks for help. */
export function parseCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): CliOptions | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'api-key': { type: 'string' },
      'signing-secret': { type: 'string' },
      storage: { type: 'string' },
      control: { type: 'boolean' },
      'allow-private-urls': { type: 'boolean' },
      database: { type: 'string' },
      'public-url': { type: 'string' },
      'shutdown-grace': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const options: CliOptions = {}
  if (values.port !== undefined) {
    const port = Number(values.port)
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new Error(`--port must be a port number from 0 to 65535, not "${values.port}"`)
    }
    options.port = port
  }
  if (values.host !== undefined) options.host = values.host
  if (values.data !== undefined) options.dataDir = values.data
  const apiKey = values['api-key'] ?? env.PARTWISE_API_KEY
  if (apiKey) options.apiKey = apiKey
  const secret = values['signing-secret'] ?? env.PARTWISE_SIGNING_SECRET
  if (secret) options.signingSecret = secret
  const storage = values.storage ?? env.PARTWISE_STORAGE
  if (storage) {
    if (!isS3Url(storage)) {
      throw new Error(`--storage must be s3://BUCKET/PREFIX, not "${storage}"`)
    }
    parseS3Url(storage)
    options.storage = storage
  }
  if (values.control) options.control = true
  if (values['allow-private-urls']) options.allowPrivateUrls = true
  const database = values.database ?? env.DATABASE_URL
  if (database) options.database = database
  const publicUrl = values['public-url'] ?? env.PARTWISE_PUBLIC_URL
  if (publicUrl) options.publicUrl = publicUrl
  const grace = values['shutdown-grace']
  if (grace !== undefined) {
    const seconds = Number(grace)
    if (!(seconds >= 0 && seconds <= 3600)) {
      throw new Error(`--shutdown-grace must be a number of seconds from 0 to 3600, not "${grace}"`)
    }
    options.shutdownGraceMs = seconds * 1000
  }
  return options
}

/**
 * `partwise-server`: starts the reference server, prints where it listens and its API key,
 * and closes it cleanly (open uploads cut, the database closed) on SIGINT or SIGTERM.
 * Resolves with the exit code once the server is closed.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let options: CliOptions | { help: true }
  try {
    options = parseCli(argv)
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`)
    return 2
  }
  if ('help' in options) {
    process.stdout.write(USAGE)
    return 0
  }
  const { shutdownGraceMs = DEFAULT_SHUTDOWN_GRACE_S * 1000, ...serverOptions } = options
  let server: ReturnType<typeof createUploadServer> | undefined
  let origin: string
  try {
    server = createUploadServer(serverOptions)
    origin = await server.listen()
  } catch (error) {
    // The store's and the database's checks (an S3 bucket unreachable, refused or missing; a
    // database that does not answer) say what is wrong.
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    await server?.close()
    return 1
  }
  const lines = [`partwise reference server listening on ${origin}`]
  if (serverOptions.publicUrl) lines.push(`Public URL: ${serverOptions.publicUrl}`)
  lines.push(`API key: ${server.apiKey}`, `Data: ${server.dataDir}`)
  if (typeof serverOptions.storage === 'string') lines.push(`Storage: ${serverOptions.storage}`)
  process.stdout.write(`${lines.join('\n')}\n`)
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (name: NodeJS.Signals) => {
      // A second Ctrl-C while closing then kills the process, as a user expects.
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(name)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
  process.stdout.write(
    `${signal}: finishing the requests in flight (at most ${shutdownGraceMs / 1000} s), then closing\n`,
  )
  // No new connection is taken from here on; /healthz says so to a balancer that still asks.
  await server.close({ graceMs: shutdownGraceMs })
  return 0
}
