/**
 * The reference server on S3 (Swift with s3api), through HTTP as a browser would use it, with
 * the store chosen the way S3 users configure it: `storage: 's3://BUCKET/PREFIX'` and the AWS
 * SDK's standard environment; and the start-up check of the bucket. One Swift for the file.
 */
import { createServer } from 'node:net'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createUploadServer, type UploadServer } from '../../src/server/index.ts'
import { openS3Storage, type S3Storage } from '../../src/server/storage/s3/storage.ts'
import { patternBytes } from '../support/bytes.ts'
import {
  connectionTo,
  listObjects,
  multipartUploads,
  newBucket,
  objectDigest,
  rawClient,
  sha256,
} from '../support/s3.ts'
import { type SwiftFixture, startSwift } from '../support/swift.ts'
import { api, complete, type Part, putPart, type Running, send, storedDigest } from './helpers.ts'

const MIN = 5 * 1024 * 1024
const PREFIX = 'served/'
const ENV = [
  'AWS_ENDPOINT_URL_S3',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const

let swift: SwiftFixture
let raw: S3Client
let bucket: string
let server: UploadServer
let origin: string
const saved: Partial<Record<(typeof ENV)[number], string>> = {}
const running: Running = {
  get server() {
    return server
  },
  get origin() {
    return origin
  },
}

beforeAll(async () => {
  swift = await startSwift()
  raw = rawClient(swift)
  bucket = await newBucket(raw)
  for (const name of ENV) {
    const value = process.env[name]
    if (value !== undefined) saved[name] = value
  }
  process.env.AWS_ENDPOINT_URL_S3 = swift.endpoint
  process.env.AWS_REGION = swift.region
  process.env.AWS_ACCESS_KEY_ID = swift.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = swift.secretAccessKey
  server = createUploadServer({
    storage: `s3://${bucket}/${PREFIX}`,
    control: true,
    sweepIntervalMs: 300,
  })
  origin = await server.listen()
}, 240_000)

afterAll(async () => {
  await server?.close()
  for (const name of ENV) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
  raw?.destroy()
  await swift?.stop()
}, 60_000)

async function newSession(): Promise<{ url: string; data: Record<string, unknown> }> {
  const { status, json } = await api<{ url: string }>(running, 'POST', '/uploads', {
    resumable: true,
  })
  expect(status).toBe(200)
  const data = json.data as { url: string } & Record<string, unknown>
  return { url: data.url, data }
}

async function partOk(url: string, index: number, bytes: Uint8Array): Promise<Part> {
  const answer = await putPart(url, index, bytes)
  expect(answer.status, answer.json?.error?.message).toBe(200)
  return answer.json.data as Part
}

/** The one object in the bucket of this size, read back by GetObject. */
async function bucketDigest(size: number): Promise<{ sha256: string; size: number }> {
  const objects = (await listObjects(raw, bucket, PREFIX)).filter((object) => object.size === size)
  expect(objects).toHaveLength(1)
  return objectDigest(raw, bucket, (objects[0] as { key: string }).key)
}

describe('the reference server on S3', () => {
  it('tells the part sizes S3 takes, and round-trips a file into the bucket', {
    timeout: 60_000,
  }, async () => {
    const { url, data } = await newSession()
    // S3's limits, narrowed by the server's own (512 MiB a part, 5 GiB a file by default), and
    // the part size the store prefers (fewer UploadParts: the client's default plan grows to it).
    expect(data.part_limits).toEqual({
      min_size: MIN,
      max_size: 512 * 1024 * 1024,
      max_count: 10_000,
      max_filesize: 5 * 1024 ** 3,
      preferred_size: 32 * 1024 * 1024,
    })
    const bytes = patternBytes(MIN + 1, 21)
    const parts = [
      await partOk(url, 1, bytes.subarray(MIN)),
      await partOk(url, 0, bytes.subarray(0, MIN)),
    ]
    const done = await complete(url, { parts: parts.reverse() })
    expect(done.status, done.json?.error?.message).toBe(200)
    const media = done.json.data as { id: string; filesize: number }
    expect(media.filesize).toBe(bytes.length)
    expect(await bucketDigest(bytes.length)).toEqual({ sha256: sha256(bytes), size: bytes.length })
    // Read back through the server, which streams from the bucket.
    expect(await storedDigest(running, media.id)).toEqual({
      sha256: sha256(bytes),
      filesize: bytes.length,
    })
  })

  it('simple mode stores the file with one streamed upload', { timeout: 60_000 }, async () => {
    const { status, json } = await api<{ url: string }>(running, 'POST', '/uploads', {})
    expect(status).toBe(200)
    const bytes = patternBytes(MIN + 3, 22)
    const form = new FormData()
    form.append('file', new Blob([bytes]), 'simple.bin')
    const answer = await send((json.data as { url: string }).url, { method: 'POST', body: form })
    expect(answer.status, answer.json?.error?.message).toBe(200)
    expect(await bucketDigest(bytes.length)).toEqual({ sha256: sha256(bytes), size: bytes.length })
  })

  it('a small part that is not the last is refused at once, saying why', {
    timeout: 30_000,
  }, async () => {
    const { url } = await newSession()
    await partOk(url, 1, patternBytes(100, 1))
    const small = await putPart(url, 0, patternBytes(100, 2))
    expect(small.status).toBe(400)
    expect(small.json.error?.message).toBe(
      "Part 0 is 100 bytes, below this storage's minimum of 5 MiB for every part but the last, and part 1 comes after it",
    )
  })

  it('a wrong etag at completion gets a clear 4xx and no file', { timeout: 30_000 }, async () => {
    const { url } = await newSession()
    const before = (await listObjects(raw, bucket, PREFIX)).length
    const part = await partOk(url, 0, patternBytes(1000, 3))
    const wrong = await complete(url, { parts: [{ index: 0, etag: `${part.etag}x` }] })
    expect(wrong.status).toBeGreaterThanOrEqual(400)
    expect(wrong.status).toBeLessThan(500)
    expect(wrong.json.error?.message).toMatch(/etag/i)
    expect(await listObjects(raw, bucket, PREFIX)).toHaveLength(before)
  })

  it('Swift stopped mid-upload: parts get 503 + Retry-After, and the upload completes once it is back', {
    timeout: 120_000,
  }, async () => {
    const { url } = await newSession()
    const bytes = patternBytes(MIN + 77, 23)
    const first = await partOk(url, 0, bytes.subarray(0, MIN))
    await swift.stopProxy()
    const down = await putPart(url, 1, bytes.subarray(MIN))
    expect(down.status).toBe(503)
    expect(down.response.headers.get('retry-after')).toBe('2')
    expect(down.json.error?.message).toMatch(/^The storage is not answering/)
    expect(down.text).not.toMatch(/ECONN|UnknownError|socket/)
    await swift.startProxy()
    const second = await partOk(url, 1, bytes.subarray(MIN))
    const done = await complete(url, { parts: [first, second] })
    expect(done.status, done.json?.error?.message).toBe(200)
    expect(await bucketDigest(bytes.length)).toEqual({ sha256: sha256(bytes), size: bytes.length })
  })

  it('expired sessions, used or never used (a cancelled upload), leave no multipart upload', {
    timeout: 60_000,
  }, async () => {
    const before = new Set(await multipartUploads(raw, bucket))
    const used = await newSession()
    await partOk(used.url, 0, patternBytes(1000, 4))
    const unused = await newSession()
    const mine = (await multipartUploads(raw, bucket)).filter((upload) => !before.has(upload))
    expect(mine).toHaveLength(2)
    for (const { url } of [used, unused]) {
      const expired = await api(running, 'POST', '/__control/expire', { url })
      expect(expired.status).toBe(200)
    }
    const deadline = Date.now() + 30_000
    let left = mine
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250))
      const now = new Set(await multipartUploads(raw, bucket))
      left = mine.filter((upload) => now.has(upload))
    }
    expect(left).toEqual([])
    expect((await putPart(used.url, 1, 'late')).status).toBeGreaterThanOrEqual(400)
  })
})

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1))
    })
  })
}

const failure = (promise: Promise<S3Storage>): Promise<Error> =>
  promise.then(
    async (store) => {
      await store.close()
      throw new Error('the store opened')
    },
    (error: Error) => error,
  )

// The start-up check: a store that cannot work says so at once, naming the endpoint and the
// bucket (s3api itself answers some of these only "UnknownError").
describe('openS3Storage checks the bucket', { timeout: 30_000 }, () => {
  it('opens when the bucket exists and the credentials are good', async () => {
    const store = await openS3Storage({ ...connectionTo(swift), location: `s3://${bucket}` })
    expect(store.description).toBe(`s3://${bucket}/ at ${swift.endpoint}`)
    await store.close()
  })

  it('an unreachable endpoint', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`
    const error = await failure(
      openS3Storage({ ...connectionTo(swift), endpoint, location: `s3://${bucket}/x` }),
    )
    expect(error.message).toContain(`Cannot reach the S3 endpoint ${endpoint}`)
    expect(error.message).toContain(`"${bucket}"`)
    expect(error.message).toContain('connection refused')
  })

  it('refused credentials', async () => {
    const { credentials, ...rest } = connectionTo(swift)
    const wrong = { accessKeyId: credentials?.accessKeyId ?? '', secretAccessKey: 'not-the-key' }
    const error = await failure(
      openS3Storage({ ...rest, credentials: wrong, location: `s3://${bucket}` }),
    )
    expect(error.message).toContain(`The S3 endpoint ${swift.endpoint} refused the credentials`)
    expect(error.message).toContain(`"${bucket}"`)
    expect(error.message).not.toMatch(/UnknownError/)
  })

  it('a missing bucket', async () => {
    const error = await failure(
      openS3Storage({ ...connectionTo(swift), location: 's3://partwise-no-such-bucket/p' }),
    )
    expect(error.message).toBe(
      `Bucket "partwise-no-such-bucket" does not exist at ${swift.endpoint}. Create it, or point --storage at an existing bucket.`,
    )
  })

  it('a location that is not s3://BUCKET/PREFIX', async () => {
    const error = await failure(
      openS3Storage({ ...connectionTo(swift), location: 's3://Bad_Bucket' }),
    )
    expect(error.message).toMatch(/not an S3 location: expected s3:\/\/BUCKET/)
  })
})
