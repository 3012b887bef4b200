/**
 * The benchmark's own look at the S3 store, with the SDK directly (not through the server under
 * test): hash what an upload left, then remove it, so repeated 1 GiB runs do not fill Swift's
 * disk. Hashing is test/support/s3.ts's `objectDigest`, as the tests read objects back.
 * Endpoint, region and credentials come from the SDK's standard environment, which the harness
 * sets (bench/s3.ts).
 */
import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'

export function benchS3Client(): S3Client {
  return new S3Client({
    forcePathStyle: true,
    // Swift refuses the SDK's aws-chunked bodies (see README, Storage).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

/**
 * Deletes every object under `prefix`. Only one upload runs at a time, so nothing in use goes;
 * the catalog's records of them stay, pointing at nothing, which no bench run reads again.
 */
export async function emptyPrefix(s3: S3Client, bucket: string, prefix: string): Promise<void> {
  for (;;) {
    const { Contents } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))
    const keys = (Contents ?? []).map((object) => object.Key ?? '').filter(Boolean)
    if (keys.length === 0) return
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))
  }
}
