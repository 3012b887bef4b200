/**
 * The server host: a child process running the three loopback servers (the reference server,
 * UpChunk's, tus's) so that their CPU time is measured apart from the harness and Chromium,
 * and so that the harness's own work (sampling, CDP) never runs on the servers' event loop.
 * Only one upload runs at a time, so the servers never compete with one another.
 *
 * With `PARTWISE_BENCH_STORAGE=s3://…` (`--store s3`) the reference server keeps its bytes in
 * S3, reached through the AWS SDK's standard environment, and runs alone: the peers' servers
 * keep theirs on disk, so they are not part of that comparison.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, statfsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { createUploadServer } from '../../src/server/index.ts'
import { parseS3Url } from '../../src/server/storage/s3/location.ts'
import { objectDigest } from '../../test/support/s3.ts'
import type { ClientKind, PartLimits } from '../types.ts'
import type { CommandName, Digest, HostCommands, HostReply, HostRequest } from './protocol.ts'
import { benchS3Client, emptyPrefix } from './s3-objects.ts'
import { startTusServer } from './tus-server.ts'
import { startUpChunkServer } from './upchunk-server.ts'
import { WireTap } from './wire-tap.ts'

const run = promisify(execFile)
const tap = new WireTap()

/**
 * Where the servers write: tmpfs when there is room for the largest file twice over, so that
 * every client's bytes cost the same memory copy and no disk write-back from one run lands on
 * the next (the lean server). Otherwise the system's temporary directory.
 */
function dataRoot(): string {
  try {
    const fs = statfsSync('/dev/shm')
    if (fs.bavail * fs.bsize >= 10 * 2 ** 30) return '/dev/shm'
  } catch {
    // no tmpfs here
  }
  return tmpdir()
}

const root = await mkdtemp(join(dataRoot(), 'partwise-bench-servers-'))
const refDir = join(root, 'reference')
const s3Storage = process.env.PARTWISE_BENCH_STORAGE
const s3 = s3Storage ? { client: benchS3Client(), ...parseS3Url(s3Storage) } : null
const reference = createUploadServer({
  control: true,
  dataDir: refDir,
  // Parts up to 8 GiB: the one-part experiment sends a whole file as part 0.
  maxPartSize: 2 ** 33,
  // No sweeper: its listing every minute would be noise in a run, and nothing expires here.
  ...(s3Storage ? { storage: s3Storage, sweepIntervalMs: 0 } : {}),
})
const origin = await reference.listen()
const upchunk = s3 ? null : await startUpChunkServer(join(root, 'upchunk'))
const tus = s3 ? null : await startTusServer(join(root, 'tus'))
let cpuMark = process.cpuUsage()

async function hashFile(path: string): Promise<Digest> {
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    hash.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), size }
}

async function newSession(): Promise<{ url: string; partLimits?: PartLimits }> {
  const response = await fetch(`${origin}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${reference.apiKey}`, 'Content-Type': 'application/json' },
    // The longest a URL may live: a 4 GiB run must not outlive its URL.
    body: JSON.stringify({ resumable: true, timeout: 3600 }),
  })
  const body = (await response.json()) as {
    data?: { url?: string; part_limits?: PartLimits }
  }
  if (!body.data?.url)
    throw new Error(`POST /uploads answered ${response.status}: ${JSON.stringify(body)}`)
  const { url, part_limits } = body.data
  return part_limits ? { url, partLimits: part_limits } : { url }
}

/**
 * The sha256 the reference server itself reports; then every finished session's part bytes
 * (`sessions/<id>/parts`) are removed, so repeated 4 GiB runs do not fill the disk. Only one
 * upload runs at a time, so no part in use is ever removed.
 */
async function verifyMedia(id: string): Promise<Digest> {
  const response = await fetch(`${origin}/__control/media/${encodeURIComponent(id)}`)
  const body = (await response.json()) as { data?: { sha256: string; filesize: number } }
  if (!body.data) throw new Error(`GET /__control/media/${id} answered ${response.status}`)
  const sessions = join(refDir, 'sessions')
  const entries = await readdir(sessions).catch(() => [])
  await Promise.all(
    entries.map((entry) => rm(join(sessions, entry, 'parts'), { recursive: true, force: true })),
  )
  return { sha256: body.data.sha256, size: body.data.filesize }
}

/**
 * Hashes, then deletes, then flushes the disk cache: gigabytes of the last upload still being
 * written back would otherwise slow the next run's first file operations (and its first byte).
 */
async function verify(kind: ClientKind, url: string, remoteId: string | null): Promise<Digest> {
  const digest = await verifyAndDelete(kind, url, remoteId)
  await run('sync')
  return digest
}

/** S3: the file read back by GetObject (a media's through the server's store), then removed. */
async function verifyS3(
  { client, bucket, prefix }: NonNullable<typeof s3>,
  kind: ClientKind,
  remoteId: string | null,
): Promise<Digest> {
  const digest =
    kind === 'ceiling'
      ? await objectDigest(client, bucket, `${prefix}bench/raw`)
      : await verifyMedia(remoteId ?? '')
  await emptyPrefix(client, bucket, prefix)
  return digest
}

async function verifyAndDelete(
  kind: ClientKind,
  url: string,
  remoteId: string | null,
): Promise<Digest> {
  if (s3) return verifyS3(s3, kind, remoteId)
  let path: string
  if (kind === 'partwise') return verifyMedia(remoteId ?? '')
  if (kind === 'ceiling') path = join(refDir, 'bench', 'raw')
  else if (kind === 'upchunk') path = peer(upchunk).pathOf(url)
  else path = peer(tus).pathOf(remoteId ?? '')
  const digest = await hashFile(path)
  await rm(path, { force: true })
  if (kind === 'tus') await rm(`${path}.json`, { force: true })
  return digest
}

function peer<T>(server: T | null): T {
  if (!server) throw new Error("The peers' servers do not run with --store s3")
  return server
}

type Handlers = {
  [K in CommandName]: (args: HostCommands[K]['args']) => Promise<HostCommands[K]['result']>
}

const handlers: Handlers = {
  info: async () => ({ origin }),
  prepare: async ({ kind }) => {
    if (kind === 'ceiling') return { url: `${origin}/__bench/raw` }
    if (kind === 'partwise') return newSession()
    if (kind === 'upchunk') return { url: await peer(upchunk).create() }
    return { url: peer(tus).endpoint }
  },
  begin: async () => {
    tap.clear()
    cpuMark = process.cpuUsage()
    return null
  },
  end: async () => {
    const used = process.cpuUsage(cpuMark)
    return { cpuSeconds: (used.user + used.system) / 1e6, records: tap.records }
  },
  verify: ({ kind, url, remoteId }) => verify(kind, url, remoteId),
}

process.on('message', (message: HostRequest) => {
  const handler = handlers[message.command] as (args: unknown) => Promise<unknown>
  handler(message.args).then(
    (result) => process.send?.({ id: message.id, ok: true, result } satisfies HostReply),
    (error: unknown) =>
      process.send?.({ id: message.id, ok: false, error: String(error) } satisfies HostReply),
  )
})

process.on('disconnect', () => {
  s3?.client.destroy()
  void Promise.all([reference.close(), upchunk?.close(), tus?.close()])
    .then(() => rm(root, { recursive: true, force: true }))
    .finally(() => process.exit(0))
})
process.send?.({ id: 0, ok: true, result: 'ready' } satisfies HostReply)
