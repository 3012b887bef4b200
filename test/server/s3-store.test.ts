/**
 * The S3 store against a real S3 (Swift with s3api on loopback): bytes go in as the protocol
 * maps them (multipart upload, PutObject) and come back identical by GetObject; the store's
 * faults leave as the server's own errors.
 */
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openS3Storage, type S3Storage } from '../../src/server/storage/s3/storage.ts'
import { SWEEP_GRACE_MS, sweepUploads } from '../../src/server/storage/s3/sweeper.ts'
import {
  StorageRefusal,
  StorageUnavailable,
  type StoredObject,
} from '../../src/server/storage/types.ts'
import { patternBytes } from '../support/bytes.ts'
import {
  connectionTo,
  multipartUploads,
  newBucket,
  objectDigest,
  objectExists,
  rawClient,
  sha256,
} from '../support/s3.ts'
import { type SwiftFixture, startSwift } from '../support/swift.ts'

const MiB = 1024 * 1024
const MIN = 5 * MiB

let swift: SwiftFixture
let raw: S3Client
let bucket: string
let store: S3Storage
let keys = 0

beforeAll(async () => {
  swift = await startSwift()
  raw = rawClient(swift)
  bucket = await newBucket(raw)
  store = await openS3Storage({ ...connectionTo(swift), location: `s3://${bucket}/uploads` })
}, 240_000)

afterAll(async () => {
  await store?.close()
  raw?.destroy()
  await swift?.stop()
}, 60_000)

const nextKey = (): string => `object-${++keys}`
/** Where the object of `key` lies in the bucket. */
const s3Key = (key: string): string => `uploads/${key}`

const body = (bytes: Uint8Array): Readable =>
  Readable.from(bytes.length ? [Buffer.from(bytes)] : [])

const digestOf = (bytes: Uint8Array) => ({ sha256: sha256(bytes), size: bytes.length })

/** The multipart uploads the bucket holds for `key` ("KEY UPLOADID"). */
async function uploadsOf(key: string): Promise<string[]> {
  return (await multipartUploads(raw, bucket)).filter((upload) =>
    upload.startsWith(`${s3Key(key)} `),
  )
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Sends `bytes` as parts of `partSize` (all at once, in any order) and completes them. */
async function multipart(
  bytes: Uint8Array,
  partSize: number,
): Promise<{ key: string; object: StoredObject }> {
  const key = nextKey()
  const upload = { key, uploadId: await store.beginUpload(key) }
  const count = Math.max(1, Math.ceil(bytes.length / partSize))
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const chunk = bytes.subarray(index * partSize, (index + 1) * partSize)
      const written = await store.writePart(upload, index, body(chunk), chunk.length)
      return { index, ...written }
    }),
  )
  const object = await store.completeUpload(upload, parts.reverse())
  return { key, object }
}

describe('round trips through multipart upload, read back by GetObject', () => {
  it.each([
    ['0 bytes, as one empty part', 0],
    ['1 byte', 1],
    ['exactly the minimum part size', MIN],
    ['one byte more than the minimum', MIN + 1],
    ['many parts', 3 * MIN + 12_345],
  ])('%s', { timeout: 60_000 }, async (_, size) => {
    const bytes = patternBytes(size, size + 1)
    const { key, object } = await multipart(bytes, MIN)
    expect(object).toEqual({ size, manifest: [{ path: key, size }] })
    expect(await objectDigest(raw, bucket, s3Key(key))).toEqual(digestOf(bytes))
    expect(await uploadsOf(key)).toEqual([])
  })

  it('simple mode: one streamed PutObject', { timeout: 30_000 }, async () => {
    const bytes = patternBytes(MIN + 3, 9)
    const key = nextKey()
    expect(await store.putObject(key, body(bytes), bytes.length)).toEqual({
      size: bytes.length,
      manifest: [{ path: key, size: bytes.length }],
    })
    expect(await objectDigest(raw, bucket, s3Key(key))).toEqual(digestOf(bytes))
  })

  it.each([
    ['small', 1000],
    ['over one 8 MiB piece', 8 * MiB + 5],
  ])('a body of unknown length (%s)', { timeout: 60_000 }, async (_, size) => {
    const bytes = patternBytes(size, 12)
    const key = nextKey()
    const chunks = Array.from({ length: Math.ceil(size / 65536) }, (_, i) =>
      Buffer.from(bytes.subarray(i * 65536, (i + 1) * 65536)),
    )
    expect((await store.putObject(key, Readable.from(chunks), null)).size).toBe(size)
    expect(await objectDigest(raw, bucket, s3Key(key))).toEqual(digestOf(bytes))
    expect(await uploadsOf(key)).toEqual([])
  })
})

describe('reading back', () => {
  it('serves a byte range, and states the size', { timeout: 30_000 }, async () => {
    const bytes = patternBytes(MIN + 10, 4)
    const { object } = await multipart(bytes, MIN)
    const range = await readAll(store.read(object, { start: MIN - 5, end: MIN + 4 }))
    expect(range).toEqual(Buffer.from(bytes.subarray(MIN - 5, MIN + 5)))
    expect(sha256(await readAll(store.read(object)))).toBe(sha256(bytes))
    expect(await store.stat(object)).toBe(bytes.length)
  })

  it('DELETE removes the object', { timeout: 30_000 }, async () => {
    const { key, object } = await multipart(patternBytes(10, 1), MIN)
    await store.delete(object)
    expect(await objectExists(raw, bucket, s3Key(key))).toBe(false)
    expect(await store.stat(object)).toBeNull()
    await store.delete(object)
  })
})

describe('the store checks the client’s parts', () => {
  it('a wrong etag at completion is a clear refusal, and no object is made', {
    timeout: 30_000,
  }, async () => {
    const key = nextKey()
    const upload = { key, uploadId: await store.beginUpload(key) }
    const part = await store.writePart(upload, 0, body(patternBytes(100, 2)), 100)
    const wrong = {
      index: 0,
      size: 100,
      etag: part.etag.replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
    }
    const refusal = await store.completeUpload(upload, [wrong]).catch((e: unknown) => e)
    expect(refusal).toBeInstanceOf(StorageRefusal)
    expect((refusal as Error).message).toMatch(/etag is wrong/)
    expect(await objectExists(raw, bucket, s3Key(key))).toBe(false)
    // A part never sent is refused the same way.
    const missing = await store
      .completeUpload(upload, [
        { index: 0, ...part },
        { index: 1, ...part },
      ])
      .catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(StorageRefusal)
    expect(await objectExists(raw, bucket, s3Key(key))).toBe(false)
    await store.abortUpload(upload)
  })

  it('a small part that is not the last is refused with why, not Swift’s generic error', {
    timeout: 30_000,
  }, async () => {
    const key = nextKey()
    const upload = { key, uploadId: await store.beginUpload(key) }
    const first = {
      index: 0,
      ...(await store.writePart(upload, 0, body(patternBytes(100, 3)), 100)),
    }
    const second = {
      index: 1,
      ...(await store.writePart(upload, 1, body(patternBytes(100, 4)), 100)),
    }
    const refusal = await store.completeUpload(upload, [first, second]).catch((e: unknown) => e)
    expect(refusal).toBeInstanceOf(StorageRefusal)
    expect((refusal as Error).message).toBe(
      "Part 0 is 100 bytes, below this storage's minimum of 5 MiB for every part but the last",
    )
    await store.abortUpload(upload)
  })

  it('a part whose body fails rejects with the body’s own error', { timeout: 30_000 }, async () => {
    const key = nextKey()
    const upload = { key, uploadId: await store.beginUpload(key) }
    const gone = new Error('the client went away')
    async function* failing() {
      yield Buffer.alloc(1000)
      throw gone
    }
    const failure = await store
      .writePart(upload, 0, Readable.from(failing()), MIN)
      .catch((e: unknown) => e)
    expect(failure).toBe(gone)
    await store.abortUpload(upload)
  })
})

describe('no multipart upload is left behind', () => {
  it('abort drops the upload and its parts; aborting twice is fine', {
    timeout: 30_000,
  }, async () => {
    const key = nextKey()
    const upload = { key, uploadId: await store.beginUpload(key) }
    await store.writePart(upload, 0, body(patternBytes(MIN, 3)), MIN)
    expect(await uploadsOf(key)).toEqual([`${s3Key(key)} ${upload.uploadId}`])
    await store.abortUpload(upload)
    await store.abortUpload(upload)
    expect(await uploadsOf(key)).toEqual([])
  })

  it('the sweeper aborts what no live session owns, and spares the rest', {
    timeout: 30_000,
  }, async () => {
    const live = nextKey()
    const dead = nextKey()
    const liveId = await store.beginUpload(live)
    const deadId = await store.beginUpload(dead)
    const pending = await store.pendingUploads()
    expect(pending).toContainEqual(expect.objectContaining({ key: live, uploadId: liveId }))
    expect(pending).toContainEqual(expect.objectContaining({ key: dead, uploadId: deadId }))
    // Every other upload in the bucket counts as live here: only `dead` is no session's.
    const isLive = (upload: { key: string }): boolean => upload.key !== dead
    // Within the grace period nothing is touched: the session may be still saving its record.
    const mine = (upload: { key: string }): boolean => upload.key === live || upload.key === dead
    expect(await sweepUploads(store, (upload) => !mine(upload))).toEqual([])
    const aborted = await sweepUploads(store, isLive, Date.now() + SWEEP_GRACE_MS + 5_000)
    expect(aborted.map((upload) => upload.key)).toEqual([dead])
    expect(await uploadsOf(dead)).toEqual([])
    expect(await uploadsOf(live)).toEqual([`${s3Key(live)} ${liveId}`])
    await store.abortUpload({ key: live, uploadId: liveId })
    expect(await uploadsOf(live)).toEqual([])
  })
})

describe('the store stops mid-upload and comes back', () => {
  it('a part sent while Swift is down fails as unavailable; the retry completes the file intact', {
    timeout: 90_000,
  }, async () => {
    const bytes = patternBytes(2 * MIN + 7, 11)
    const chunks = [bytes.subarray(0, MIN), bytes.subarray(MIN, 2 * MIN), bytes.subarray(2 * MIN)]
    const key = nextKey()
    const upload = { key, uploadId: await store.beginUpload(key) }
    const first = await store.writePart(upload, 0, body(chunks[0] as Uint8Array), MIN)

    // Part 1 is streaming when the proxy stops: half is sent, then the store goes away.
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const half = MIN / 2
    async function* slowly() {
      yield Buffer.from(bytes.subarray(MIN, MIN + half))
      await gate
      yield Buffer.from(bytes.subarray(MIN + half, 2 * MIN))
    }
    const cut = store.writePart(upload, 1, Readable.from(slowly()), MIN).catch((e: unknown) => e)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await swift.stopProxy()
    release()
    const failure = await cut
    expect(failure).toBeInstanceOf(StorageUnavailable)
    expect((failure as Error).message).toMatch(/^The storage is not answering \(storing part 1\)/)

    // While it is down, a fresh attempt fails the same way, at once.
    const down = await store
      .writePart(upload, 2, body(chunks[2] as Uint8Array), 7)
      .catch((e: unknown) => e)
    expect(down).toBeInstanceOf(StorageUnavailable)

    await swift.startProxy()
    const second = await store.writePart(upload, 1, body(chunks[1] as Uint8Array), MIN)
    const third = await store.writePart(upload, 2, body(chunks[2] as Uint8Array), 7)
    await store.completeUpload(upload, [
      { index: 0, ...first },
      { index: 1, ...second },
      { index: 2, ...third },
    ])
    expect(await objectDigest(raw, bucket, s3Key(key))).toEqual(digestOf(bytes))
  })
})
