/**
 * The start-up check: an S3 store that cannot work says so at once, in a sentence that names
 * the endpoint and the bucket (s3api itself answers some of these only "UnknownError").
 */
import { createServer } from 'node:net'
import type { S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openS3Storage, type S3Storage } from '../../src/server/storage/s3/storage.ts'
import { connectionTo, newBucket, rawClient } from '../support/s3.ts'
import { type SwiftFixture, startSwift } from '../support/swift.ts'

let swift: SwiftFixture
let raw: S3Client
let bucket: string

beforeAll(async () => {
  swift = await startSwift()
  raw = rawClient(swift)
  bucket = await newBucket(raw)
}, 240_000)

afterAll(async () => {
  raw?.destroy()
  await swift?.stop()
}, 60_000)

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
