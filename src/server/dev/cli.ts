import { parseArgs } from 'node:util'
import { createUploadServer } from '../server.ts'
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
  --control               enable /__control (fault injection, stats)
  --allow-private-urls    let POST /files fetch loopback and private addresses
  -h, --help              show this help
`

/** What the command line asks for, or the usage text when it asks for help. */
export function parseCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): UploadServerOptions | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'api-key': { type: 'string' },
      'signing-secret': { type: 'string' },
      control: { type: 'boolean' },
      'allow-private-urls': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return { help: true }
  const options: UploadServerOptions = {}
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
  if (values.control) options.control = true
  if (values['allow-private-urls']) options.allowPrivateUrls = true
  return options
}

/**
 * `partwise-server`: starts the reference server, prints where it listens and its API key,
 * and closes it cleanly (open uploads cut, the database closed) on SIGINT or SIGTERM.
 * Resolves with the exit code once the server is closed.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let options: UploadServerOptions | { help: true }
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
  const server = createUploadServer(options)
  const origin = await server.listen()
  process.stdout.write(
    `partwise reference server listening on ${origin}\nAPI key: ${server.apiKey}\nData: ${server.dataDir}\n`,
  )
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
  process.stdout.write(`${signal}: closing\n`)
  await server.close()
  return 0
}
