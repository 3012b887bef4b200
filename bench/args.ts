/**
 * `npm run bench -- [--size 1g | --sizes 64m,1g,4g] [--rounds N] [--memory-rounds N]
 * [--only a,b] [--peer-sweep] [--experiments] [--no-resume] [--quiet-wait seconds] [--profile]
 * [--store disk|s3] [--nodes 2]`
 */

/** Where the reference server keeps the bytes: its data directory, or S3 (a Swift of the bench's own). */
export type BenchStore = 'disk' | 's3'

export interface BenchArgs {
  sizes: number[]
  rounds: number
  /** Rounds of the plain-CDP memory pass (0: none). */
  memoryRounds: number
  /** Client ids to run (the ceiling always runs: every ratio needs it); empty: all. */
  only: string[]
  /** Try the peers' other settings too, to find their best. */
  peerSweep: boolean
  /** Add the tuning experiments (other transports, part sizes, no resume record). */
  experiments: boolean
  resume: boolean
  /** How long to wait before each upload for the machine to go quiet (0: never wait). */
  quietWaitMs: number
  /** Profile the renderer during each upload (its CPU figures are then not comparable). */
  profile: boolean
  /** The results' file name in bench/results (`latest`: the table the README shows). */
  out: string
  store: BenchStore
  /**
   * 1: one reference server. 2: two server nodes on PostgreSQL behind nginx (S3 only), beside
   * one of them reached directly.
   */
  nodes: number
}

const UNITS: Record<string, number> = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }

/** `64m`, `1g`, `4g`, `512k` or plain bytes; powers of 1024. */
export function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmg]?)i?b?$/i.exec(text.trim())
  if (!match) throw new Error(`Not a size: "${text}" (try 64m, 1g, 4g)`)
  const unit = UNITS[(match[2] ?? '').toLowerCase()] ?? 1
  return Math.round(Number(match[1]) * unit)
}

export function formatSize(bytes: number): string {
  if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30} GiB`
  if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`
  return `${bytes} B`
}

function positive(name: string, text: string | undefined): number {
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} wants a whole number`)
  return value
}

/** A plain file name: the results stay inside bench/results. */
function outName(text: string): string {
  if (!/^[\w.-]+$/.test(text) || text.startsWith('.'))
    throw new Error(`--out wants a plain name, not "${text}"`)
  return text
}

export function parseArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    sizes: [parseSize('64m')],
    rounds: 3,
    memoryRounds: 1,
    only: [],
    peerSweep: false,
    experiments: false,
    resume: true,
    quietWaitMs: 60_000,
    out: 'latest',
    store: 'disk',
    nodes: 1,
    profile: false,
  }
  let outGiven = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    const value = (): string => {
      const next = argv[++i]
      if (next === undefined) throw new Error(`${flag} wants a value`)
      return next
    }
    if (flag === '--size' || flag === '--sizes') args.sizes = value().split(',').map(parseSize)
    else if (flag === '--rounds') args.rounds = Math.max(1, positive(flag, value()))
    else if (flag === '--memory-rounds') args.memoryRounds = positive(flag, value())
    else if (flag === '--only') args.only = value().split(',').filter(Boolean)
    else if (flag === '--peer-sweep') args.peerSweep = true
    else if (flag === '--experiments') args.experiments = true
    else if (flag === '--no-resume') args.resume = false
    else if (flag === '--quiet-wait') args.quietWaitMs = positive(flag, value()) * 1000
    else if (flag === '--out') {
      args.out = outName(value())
      outGiven = true
    } else if (flag === '--profile') args.profile = true
    else if (flag === '--store') args.store = storeName(value())
    else if (flag === '--nodes') args.nodes = Math.max(1, positive(flag, value()))
    else
      throw new Error(
        `Unknown flag ${flag}. Flags: --size(s), --rounds, --memory-rounds, --only, --peer-sweep, --experiments, --no-resume, --quiet-wait <s>, --out <name>, --profile, --store disk|s3, --nodes 2`,
      )
  }
  if (args.nodes > 2) throw new Error('--nodes takes 1 or 2')
  if (args.nodes > 1 && args.store !== 's3') {
    throw new Error('--nodes 2 shares one S3 store between the nodes: add --store s3')
  }
  if (args.store === 's3') {
    // The store changes the server's side only: what the client does in Chromium (its memory,
    // a reload, React's renders) is measured by the disk runs.
    args.memoryRounds = 0
    args.resume = false
    // The disk's table (latest) stays what the README's Performance section shows.
    if (!outGiven) args.out = args.nodes > 1 ? 's3-nodes' : 's3'
  }
  return args
}

function storeName(text: string): BenchStore {
  if (text === 'disk' || text === 's3') return text
  throw new Error(`--store takes disk or s3, not "${text}"`)
}
