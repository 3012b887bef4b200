/**
 * #14: `createUpload` honours the session's `part_limits` (docs/PROTOCOL.md §2e). The reference
 * server on a disk store that announces S3's limits (5 MiB every part but the last, 10,000 parts)
 * refuses a part under the minimum that is not the last, as S3 would: an upload that ignored
 * the limits fails with http_error. The core over loopback HTTP from Node (test/support).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createUpload, type UploadError } from '../../src/core/index.ts'
import {
  createUploadServer,
  createUploadSession,
  type UploadServer,
} from '../../src/server/index.ts'
import { DiskStorage } from '../../src/server/storage/disk.ts'
import { S3_PART_LIMITS } from '../../src/server/storage/part-limits.ts'
import { nodeTransport } from '../support/node-transport.ts'
import { bytesOf, sha256 } from '../support/reliability.ts'

const MiB = 1024 * 1024
/** The server's own limit on a file, narrowing S3's 5 TiB in the announced `max_filesize`. */
const MAX_FILE = 16 * MiB

let server: UploadServer
let origin = ''
const storeDir = mkdtempSync(join(tmpdir(), 'partwise-limits-'))

beforeAll(async () => {
  // A disk store with S3's limits: the session announces them and the server holds parts to them.
  const storage = Object.assign(new DiskStorage(storeDir), { partLimits: S3_PART_LIMITS })
  server = createUploadServer({
    host: '127.0.0.1',
    port: 0,
    control: true,
    storage,
    maxFileSize: MAX_FILE,
  })
  origin = await server.listen()
})
afterAll(async () => {
  await server?.close()
  rmSync(storeDir, { recursive: true, force: true })
})
afterEach(() => vi.restoreAllMocks())

/** The app's backend: the session's `data` handed to the browser whole, as the README says. */
const session = () =>
  createUploadSession({ apiKey: server.apiKey, baseUrl: origin, resumable: true })

async function upload(size: number, chunkSize?: number) {
  const bytes = bytesOf(size, 7)
  const transport = nodeTransport()
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
  const upload = createUpload(new Blob([bytes]), {
    url: session,
    resume: false,
    transport: transport.transport,
    ...(chunkSize ? { chunkSize } : {}),
  })
  const outcome = await upload.start().then(
    (media) => ({ media, error: null }),
    (error: UploadError) => ({ media: null, error }),
  )
  transport.close()
  const parts = transport.sent.filter((r) => r.method === 'PUT').map((r) => Number(r.index))
  return { bytes, outcome, parts, warnings: warn.mock.calls.map((c) => String(c[0])), upload }
}

const storedSha = async (mediaId: string): Promise<string> => {
  const response = await fetch(`${origin}/__control/media/${mediaId}`)
  return ((await response.json()) as { data: { sha256: string } }).data.sha256
}

describe("a session's part_limits (#14)", () => {
  it('raises a chunkSize below the minimum, says so, and stores the file whole', async () => {
    const { bytes, outcome, parts, warnings, upload: u } = await upload(12 * MiB, MiB)
    expect(outcome.error?.message ?? null).toBeNull()
    // Parts of 5 MiB: 5 + 5 + 2, each sent once.
    expect([...parts].sort()).toEqual([0, 1, 2])
    expect(u.getSnapshot().partsTotal).toBe(3)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/chunkSize 1048576 changed to 5242880/)
    expect(await storedSha(outcome.media?.id as string)).toBe(sha256(bytes))
  })

  it('fits the default plan to the limits without a word', async () => {
    // The default plan would cut 12 MiB into parts of 384 KiB.
    const { outcome, parts, warnings } = await upload(12 * MiB)
    expect(outcome.error?.message ?? null).toBeNull()
    expect(parts).toHaveLength(3)
    expect(warnings).toEqual([])
  })

  it('refuses a file larger than the server takes before sending a byte', async () => {
    const { outcome, parts } = await upload(MAX_FILE + 1)
    expect(outcome.error?.code).toBe('invalid_options')
    expect(outcome.error?.message).toMatch(new RegExp(`${MAX_FILE + 1} bytes.*at most ${MAX_FILE}`))
    expect(parts).toEqual([])
  })
})
