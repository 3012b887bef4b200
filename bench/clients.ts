/**
 * The rows of the benchmark: the ceiling, partwise at its defaults and around them, and the
 * peers at their best settings against their own servers.
 */
import { DEFAULT_CHUNK_SIZE, DEFAULT_CONCURRENCY } from '../src/core/options.ts'
import type { ClientSpec } from './types.ts'

const MiB = 2 ** 20

export const CEILING_ID = 'ceiling'
/** One XHR PUT of the whole file: the CPU baseline (partwise sends its parts with XHR). */
export const RAW_XHR_ID = 'raw-xhr'
/** The single raw PUTs: every run's "best single raw PUT" is the faster of them in its round. */
export const RAW_IDS: readonly string[] = [CEILING_ID, RAW_XHR_ID]
/** One XHR PUT of `file.slice()`: the same request as a Blob, as every part is sent. */
export const RAW_XHR_SLICE_ID = 'raw-xhr-slice'
export const PARTWISE_ID = 'partwise'
/** `--nodes 2`: partwise at its defaults through nginx to two nodes. */
export const PARTWISE_NODES_ID = 'partwise-2-nodes'

const partwise = (chunkMiB: number, concurrency: number): ClientSpec => ({
  id: `partwise-${chunkMiB}m-x${concurrency}`,
  kind: 'partwise',
  chunkSize: chunkMiB * MiB,
  concurrency,
})

/**
 * The peers' best settings, from `--peer-sweep` at 1 GiB (3 rounds, median ratio to the
 * ceiling): tus-js-client with its default chunk size (the whole file as one PATCH) beat 8, 32
 * and 128 MiB chunks (0.71–0.98×); @tus/file-store has no `concatenation` extension, so
 * `parallelUploads` cannot be used. UpChunk (one chunk at a time by design) was fastest with
 * `dynamicChunkSize` (0.79×, against 0.60–0.72× for fixed 8, 30 and 64 MiB chunks).
 */
export const PEERS_BEST: readonly ClientSpec[] = [
  { id: 'upchunk', kind: 'upchunk', chunkKiB: 30720, dynamic: true },
  { id: 'tus', kind: 'tus', chunkSize: null },
]

/** Settings the sweep tries, besides the best ones. */
const PEER_SWEEP: readonly ClientSpec[] = [
  { id: 'upchunk-8m', kind: 'upchunk', chunkKiB: 8192, dynamic: false },
  { id: 'upchunk-30m-default', kind: 'upchunk', chunkKiB: 30720, dynamic: false },
  { id: 'upchunk-64m', kind: 'upchunk', chunkKiB: 65536, dynamic: false },
  { id: 'tus-8m', kind: 'tus', chunkSize: 8 * MiB },
  { id: 'tus-32m', kind: 'tus', chunkSize: 32 * MiB },
  { id: 'tus-128m', kind: 'tus', chunkSize: 128 * MiB },
]

const DEFAULT_MIB = DEFAULT_CHUNK_SIZE / MiB

/** Tuning experiments (`--experiments`): where does partwise's time go? */
const EXPERIMENTS: readonly ClientSpec[] = [
  // With an upload progress listener: what Chromium's progress reports cost a single request.
  { id: 'raw-xhr-progress', kind: 'ceiling', via: 'xhr', progress: true },
  // One part as large as the file: partwise's own cost on a single request.
  { id: 'partwise-one-part', kind: 'partwise', chunkSize: 2 ** 40 / 256, concurrency: 1 },
  partwise(64, DEFAULT_CONCURRENCY),
  partwise(DEFAULT_MIB, 1),
  { id: 'partwise-fetch', kind: 'partwise', transport: 'fetch' },
  { id: 'partwise-xhr-no-progress', kind: 'partwise', transport: 'xhr-no-progress' },
  { id: 'partwise-xhr-no-timers', kind: 'partwise', transport: 'xhr-no-timers' },
  { id: 'partwise-no-resume', kind: 'partwise', resume: false },
]

/** Every row in run order: A B C … within a round. */
export function clientMatrix(peerSweep: boolean, experiments = false): ClientSpec[] {
  // The issue's grid around the defaults: part sizes at the default concurrency, then
  // concurrencies at the default part size; the defaults themselves are the `partwise` row.
  const sizes = [4, 8, 16, 32].filter((mib) => mib !== DEFAULT_MIB)
  const concurrencies = [2, 4, 6].filter((n) => n !== DEFAULT_CONCURRENCY)
  return [
    { id: CEILING_ID, kind: 'ceiling' },
    { id: RAW_XHR_ID, kind: 'ceiling', via: 'xhr' },
    // The same bytes as one Blob (`file.slice()`), not the File: Chromium sends a File picked
    // from disk by its path, and any Blob (every part of every chunked client) through its blob
    // system. What that costs is the floor of a chunked client's CPU.
    { id: RAW_XHR_SLICE_ID, kind: 'ceiling', via: 'xhr', slice: true },
    { id: PARTWISE_ID, kind: 'partwise' },
    ...sizes.map((mib) => partwise(mib, DEFAULT_CONCURRENCY)),
    ...concurrencies.map((n) => partwise(DEFAULT_MIB, n)),
    ...PEERS_BEST,
    ...(peerSweep ? PEER_SWEEP : []),
    ...(experiments ? EXPERIMENTS : []),
  ]
}

/** S3 refuses parts below 5 MiB (all but the last): rows that cut smaller ones are left out. */
const S3_MIN_PART = 5 * MiB

/** `--store s3`: the defaults' part size before the store's part_limits, for comparison. */
export const PARTWISE_16M_ID = `partwise-${DEFAULT_MIB}m-x${DEFAULT_CONCURRENCY}`

/**
 * The rows of `--store s3`: the ceiling (one raw PUT through the server into one streamed
 * PutObject) and partwise's rows whose parts S3 takes; with `--nodes 2`, partwise through
 * nginx to two nodes too. The peers' servers keep their bytes on disk, so they stay out.
 * Every partwise row gets the session whole, `part_limits` and all, as an app hands it on: the
 * defaults row is the plan an app gets on S3 (fitted to the limits, grown to the store's
 * preferred part size), and 16 MiB × 4 is what the defaults were before the store had a say.
 */
export function s3Matrix(nodes: number, experiments: boolean): ClientSpec[] {
  const rows = clientMatrix(false, experiments).filter(
    (c) =>
      c.kind === 'ceiling' ||
      c.id === PARTWISE_ID ||
      (c.kind === 'partwise' && (c.chunkSize ?? 0) >= S3_MIN_PART),
  )
  const throughNginx: ClientSpec = { id: PARTWISE_NODES_ID, kind: 'partwise', route: 'balancer' }
  const sixteen = partwise(DEFAULT_MIB, DEFAULT_CONCURRENCY)
  return [...rows, sixteen, ...(nodes > 1 ? [throughNginx] : [])]
}

/**
 * The order of round `round` (from 1): the listed order first, then a shuffle seeded by the round
 * (the same on every run). With one fixed order each client always ran right after the same
 * one, and whatever that one left behind counted against it: the defaults, always right after
 * the ceiling, ran 10–20% slower than variants that differ from them in nothing that matters.
 */
export function roundOrder<T>(items: readonly T[], round: number): T[] {
  const order = [...items]
  if (round <= 1) return order
  // mulberry32: a tiny seeded generator, so a rerun shuffles the same way.
  let seed = round * 0x9e3779b9
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[order[i], order[j]] = [order[j] as T, order[i] as T]
  }
  return order
}

/** What a row is, in words. */
export function describe(client: ClientSpec, store: 'disk' | 's3' = 'disk'): string {
  switch (client.kind) {
    case 'ceiling': {
      // On S3 the raw PUT goes through the server into one streamed PutObject (simple mode's path).
      const into = store === 's3' ? ', one streamed PutObject' : ''
      return client.via === 'xhr'
        ? `one XHR PUT of the whole file${client.slice ? ' as file.slice()' : ''}${client.progress ? ', progress listened to' : ''}${into}`
        : `one fetch PUT of the whole file${client.slice ? ' as file.slice()' : ''}${into}${client.slice ? '' : ' (ceiling)'}`
    }
    case 'partwise': {
      const chunk = (client.chunkSize ?? DEFAULT_CHUNK_SIZE) / MiB
      const concurrency = client.concurrency ?? DEFAULT_CONCURRENCY
      const changed = [
        client.transport && `${client.transport} transport`,
        client.resume === false && 'no resume record',
        client.route === 'balancer' && 'through nginx to 2 nodes',
      ].filter(Boolean)
      const note =
        changed.length > 0
          ? ` (${changed.join(', ')})`
          : client.chunkSize === undefined && client.concurrency === undefined
            ? ' (defaults)'
            : ''
      // On S3 the default part size is the plan fitted to the session's part_limits, grown to
      // the store's preferred_size (docs/PROTOCOL.md §2e): 32 MiB at 1 GiB, 16 MiB at 512 MiB.
      if (client.chunkSize === undefined && store === 's3') {
        const via = changed.length > 0 ? `, ${changed.join(', ')}` : ''
        return `partwise defaults × ${concurrency} (parts fitted to part_limits${via})`
      }
      return `partwise ${chunk} MiB × ${concurrency}${note}`
    }
    case 'upchunk':
      return `@mux/upchunk ${client.chunkKiB / 1024} MiB chunks${client.dynamic ? ', dynamic' : ''}`
    case 'tus':
      return `tus-js-client ${client.chunkSize === null ? 'one PATCH' : `${client.chunkSize / MiB} MiB chunks`}`
  }
}

/** The part size and concurrency partwise runs with under `client`. */
export function partwiseShape(client: ClientSpec): { chunkSize: number; concurrency: number } {
  if (client.kind !== 'partwise') throw new Error(`${client.id} is not partwise`)
  return {
    chunkSize: client.chunkSize ?? DEFAULT_CHUNK_SIZE,
    concurrency: client.concurrency ?? DEFAULT_CONCURRENCY,
  }
}
