/**
 * Test-side access to the Swift fixture's S3, with the SDK directly (not through the store
 * under test): make buckets, read objects back and hash them, list multipart uploads.
 */
import { createHash } from 'node:crypto'
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3'
import type { S3ConnectionOptions } from '../../src/server/storage/s3/client.ts'
import type { SwiftFixture } from './swift.ts'

// The SDK warns once per process that its releases after January 2027 need Node 22; the pinned
// version runs on Node 20, and the warning would only clutter the test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

/** What the store under test is given to reach the fixture. */
export const connectionTo = (
  swift: SwiftFixture,
): Required<Omit<S3ConnectionOptions, 'credentials'>> & {
  credentials: { accessKeyId: string; secretAccessKey: string }
} => ({
  endpoint: swift.endpoint,
  region: swift.region,
  credentials: { accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey },
})

export function rawClient(swift: SwiftFixture): S3Client {
  const { endpoint, region, credentials } = connectionTo(swift)
  return new S3Client({
    endpoint,
    region,
    credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

let buckets = 0

/** A fresh bucket per use, so tests in one file never see each other's objects. */
export async function newBucket(s3: S3Client): Promise<string> {
  buckets += 1
  const bucket = `partwise-${process.pid}-${buckets}`
  await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  return bucket
}

/** sha256 (hex) and size of an object, read back by GetObject. */
export async function objectDigest(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ sha256: string; size: number }> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
  const hash = createHash('sha256')
  let size = 0
  for await (const chunk of Body as AsyncIterable<Buffer>) {
    hash.update(chunk)
    size += chunk.length
  }
  return { sha256: hash.digest('hex'), size }
}

export async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    return true
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
      return false
    }
    throw error
  }
}

/** The multipart uploads the bucket holds: none should be left behind. */
export async function multipartUploads(s3: S3Client, bucket: string): Promise<string[]> {
  const { Uploads } = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))
  return (Uploads ?? []).map((upload) => `${upload.Key} ${upload.UploadId}`)
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex')

/** The objects under `prefix` with their sizes. */
export async function listObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; size: number }[]> {
  const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
  return (Contents ?? []).map((object) => ({ key: object.Key ?? '', size: object.Size ?? 0 }))
}
