import type { Storage } from '../types.ts'
import { isS3Url, parseS3Url } from './location.ts'

/**
 * Opens the S3 store that `--storage s3://BUCKET/PREFIX` (or `PARTWISE_STORAGE`) names, and
 * checks its bucket. The AWS SDK is an optional peer dependency, loaded only here, so that a
 * server on its disk (and every browser user of partwise) never needs it. Rejects with one
 * sentence: a malformed location, a missing SDK, or the bucket check's own message.
 */
export async function loadS3Storage(location: string): Promise<Storage> {
  if (!isS3Url(location)) throw new Error(`"${location}" is not an s3:// location`)
  parseS3Url(location)
  let module: typeof import('./storage.ts')
  try {
    module = await import('./storage.ts')
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(
        `Storing in S3 (${location}) needs the AWS SDK: npm install @aws-sdk/client-s3`,
      )
    }
    throw error
  }
  return module.openS3Storage({ location })
}
