/**
 * The S3 store against a real S3 (Swift with s3api on loopback): bytes go in as the protocol
 * maps them (multipart upload, PutObject) and come back identical by GetObject; the store's
 * faults leave as the server's own errors.
 */
import { Readable } from 'node:stream'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3Store } from '../../src/server/storage/s3.ts'
import { RangedBlob } from '../../src/server/storage/s3-blob.ts'
import { SWEEP_GRACE_MS, sweepUploads } from '../../src/server/storage/s3-sweeper.ts'
import { StoreRefusedError, StoreUnavailableError } from '../../src/server/storage/store-errors.ts'
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
let store: S3Store
let keys = 0

beforeAll(async () => {
  swift = await startSwift()
  raw = rawClient(swift)
  bucket = await newBucket(raw)
  store = await S3Store.open({ ...connectionTo(swift), location: `s3://${bucket}/uploads` })
}, 240_000)

afterAll(async () => {
  store?.close()
  raw?.destroy()
  await swift?.stop()
}, 60_000)

const nextKey = (): string => store.key(`object-${++keys}`)

const body = (bytes: Uint8Array): Readable =>
  Readable.from(bytes.length ? [Buffer.from(bytes)] : [])

/** Sends `bytes` as parts of `partSize` (all at once, in any order) and completes them. */
async function multipart(bytes: Uint8Array, partSize: number): Promise<string> {
  const key = nextKey()
  const uploadId = await store.createMultipart(key, 'application/octet-stream')
  const count = Math.max(1, Math.ceil(bytes.length / partSize))
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const chunk = bytes.subarray(index * partSize, (index + 1) * partSize)
      return {
        index,
        etag: await store.uploadPart(key, uploadId, index, body(chunk), chunk.length),
      }
    }),
  )
  await store.completeMultipart(key, uploadId, parts.reverse())
  return key
}

describe('round trips through multipart upload, read back by GetObject', () => {
  it.each([
    ['1 byte', 1],
    ['exactly the minimum part size', MIN],
    ['one byte more than the minimum', MIN + 1],
    ['many parts', 3 * MIN + 12_345],
  ])('%s', { timeout: 60_000 }, async (_, size) => {
    const bytes = patternBytes(size, size)
    const key = await multipart(bytes, MIN)
    expect(await objectDigest(raw, bucket, key)).toEqual({ sha256: sha256(bytes), size })
    expect(await multipartUploads(raw, bucket)).toEqual([])
  })

  it('0 bytes, as one empty part', { timeout: 30_000 }, async () => {
    const key = await multipart(new Uint8Array(0), MIN)
    expect(await objectDigest(raw, bucket, key)).toEqual({
      sha256: sha256(new Uint8Array(0)),
      size: 0,
    })
  })

  it('simple mode: one streamed PutObject', { timeout: 30_000 }, async () => {
    const bytes = patternBytes(MIN + 3, 9)
    const key = nextKey()
    await store.putObject(key, body(bytes), bytes.length, 'application/octet-stream')
    expect(await objectDigest(raw, bucket, key)).toEqual({
      sha256: sha256(bytes),
      size: bytes.length,
    })
  })
})

describe('reading back', () => {
  it('serves a byte range, and sizes the whole object', { timeout: 30_000 }, async () => {
    const bytes = patternBytes(MIN + 10, 4)
    const key = await multipart(bytes, MIN)
    const { stream, length, size } = await store.getObject(key, { start: MIN - 5, end: MIN + 4 })
    const chunks: Buffer[] = []
    for await (const chunk of stream) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(bytes.subarray(MIN - 5, MIN + 5)))
    expect({ length, size }).toEqual({ length: 10, size: bytes.length })
    expect(await store.sizeOf(key)).toBe(bytes.length)
  })

  it('a probe reads only the ranges it needs', { timeout: 30_000 }, async () => {
    const bytes = patternBytes(3 * MiB, 5)
    const key = nextKey()
    await store.putObject(key, body(bytes), bytes.length)
    const blob = new RangedBlob((range) => store.getObject(key, range), bytes.length)
    const head = new Uint8Array(await blob.slice(0, 100).arrayBuffer())
    const tail = new Uint8Array(await blob.slice(-100).arrayBuffer())
    const again = new Uint8Array(await blob.slice(10, 20).arrayBuffer())
    expect(head).toEqual(bytes.subarray(0, 100))
    expect(tail).toEqual(bytes.subarray(bytes.length - 100))
    expect(again).toEqual(bytes.subarray(10, 20))
    // Two 256 KiB blocks, the first reused: far from the 3 MiB object.
    expect(blob.bytesFetched).toBe(512 * 1024)
  })

  it('DELETE removes the object', { timeout: 30_000 }, async () => {
    const key = await multipart(patternBytes(10, 1), MIN)
    await store.deleteObject(key)
    expect(await objectExists(raw, bucket, key)).toBe(false)
    expect(await store.sizeOf(key)).toBeNull()
  })
})

describe('the store checks the client’s etags', () => {
  it('a wrong etag at completion is a clear refusal, and no object is made', {
    timeout: 30_000,
  }, async () => {
    const key = nextKey()
    const uploadId = await store.createMultipart(key)
    const etag = await store.uploadPart(key, uploadId, 0, body(patternBytes(100, 2)), 100)
    const wrong = etag.replace(/[0-9a-f]/, (c) => (c === '0' ? '1' : '0'))
    const refusal = await store
      .completeMultipart(key, uploadId, [{ index: 0, etag: wrong }])
      .catch((e) => e)
    expect(refusal).toBeInstanceOf(StoreRefusedError)
    expect(refusal).toMatchObject({ refusal: 'part_mismatch', status: 400 })
    expect(refusal.message).toMatch(/etag/)
    expect(await objectExists(raw, bucket, key)).toBe(false)
    // A part never sent is refused the same way.
    const missing = await store
      .completeMultipart(key, uploadId, [
        { index: 0, etag },
        { index: 1, etag },
      ])
      .catch((e) => e)
    expect(missing).toMatchObject({ refusal: 'part_mismatch', status: 400 })
    expect(await objectExists(raw, bucket, key)).toBe(false)
    await store.abortMultipart(key, uploadId)
  })
})

describe('no multipart upload is left behind', () => {
  it('abort drops the upload and its parts; aborting twice is fine', {
    timeout: 30_000,
  }, async () => {
    const key = nextKey()
    const uploadId = await store.createMultipart(key)
    await store.uploadPart(key, uploadId, 0, body(patternBytes(MIN, 3)), MIN)
    expect(await multipartUploads(raw, bucket)).toHaveLength(1)
    await store.abortMultipart(key, uploadId)
    await store.abortMultipart(key, uploadId)
    expect(await multipartUploads(raw, bucket)).toEqual([])
  })

  it('the sweeper aborts what no live session owns, and spares the rest', {
    timeout: 30_000,
  }, async () => {
    const live = nextKey()
    const dead = nextKey()
    const liveId = await store.createMultipart(live)
    const deadId = await store.createMultipart(dead)
    expect((await store.pendingUploads()).map((upload) => upload.uploadId).sort()).toEqual(
      [liveId, deadId].sort(),
    )
    const isLive = (upload: { key: string }): boolean => upload.key === live
    // Within the grace period nothing is touched: the session may be still saving its record.
    expect(await sweepUploads(store, isLive)).toEqual([])
    const aborted = await sweepUploads(store, isLive, Date.now() + SWEEP_GRACE_MS + 5_000)
    expect(aborted.map((upload) => upload.key)).toEqual([dead])
    expect(await multipartUploads(raw, bucket)).toEqual([`${live} ${liveId}`])
    await store.abortMultipart(live, liveId)
    expect(await multipartUploads(raw, bucket)).toEqual([])
  })
})

describe('the store stops mid-upload and comes back', () => {
  it('a part sent while Swift is down fails as "unavailable"; the retry completes the file intact', {
    timeout: 90_000,
  }, async () => {
    const bytes = patternBytes(2 * MIN + 7, 11)
    const chunks = [bytes.subarray(0, MIN), bytes.subarray(MIN, 2 * MIN), bytes.subarray(2 * MIN)]
    const key = nextKey()
    const uploadId = await store.createMultipart(key)
    const first = await store.uploadPart(key, uploadId, 0, body(chunks[0] as Uint8Array), MIN)

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
    const cut = store.uploadPart(key, uploadId, 1, Readable.from(slowly()), MIN).catch((e) => e)
    await new Promise((resolve) => setTimeout(resolve, 300))
    await swift.stopProxy()
    release()
    const failure = await cut
    expect(failure).toBeInstanceOf(StoreUnavailableError)
    expect(failure).toMatchObject({ status: 503, headers: { 'Retry-After': '2' } })
    expect(failure.message).not.toMatch(/ECONN|socket|UnknownError/)

    // While it is down, a fresh attempt fails the same way, at once.
    const down = await store
      .uploadPart(key, uploadId, 2, body(chunks[2] as Uint8Array), 7)
      .catch((e) => e)
    expect(down).toBeInstanceOf(StoreUnavailableError)

    await swift.startProxy()
    const second = await store.uploadPart(key, uploadId, 1, body(chunks[1] as Uint8Array), MIN)
    const third = await store.uploadPart(key, uploadId, 2, body(chunks[2] as Uint8Array), 7)
    await store.completeMultipart(key, uploadId, [
      { index: 0, etag: first },
      { index: 1, etag: second },
      { index: 2, etag: third },
    ])
    expect(await objectDigest(raw, bucket, key)).toEqual({
      sha256: sha256(bytes),
      size: bytes.length,
    })
  })
})
