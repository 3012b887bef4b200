import { HeadBucketCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { StorageRefusal, StorageUnavailable } from '../types.ts'

/** What code may set; everything left out comes from the AWS SDK's standard environment. */
export interface S3ConnectionOptions {
  /** An S3-compatible endpoint; default: `AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL`, the profile. */
  endpoint?: string
  /** Default: `AWS_REGION`, the profile; `us-east-1` for an endpoint that names none. */
  region?: string
  /** Default: the SDK's chain (`AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`, profiles, …). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

/** The SDK clients and what messages say about where they point. */
export interface S3Connection {
  /** Requests without a body, retried by the SDK. */
  client: S3Client
  /** Requests that stream a body (UploadPart, PutObject): a consumed stream cannot be replayed. */
  once: S3Client
  /** "http://127.0.0.1:8080", or "AWS S3 (eu-west-1)". */
  endpointName: string
}

// A stopped store refuses at once; a hung one is given this long before the part is answered 503.
const CONNECT_TIMEOUT_MS = 5_000
// Idle time on an open request. A slow browser upload is idle on both sides, so this is generous.
// The SDK's `socketTimeout`: its `requestTimeout` is a whole-request timer now (only a warning,
// logged by every 1 GiB PutObject that took over a minute), and it never cut a hung store.
const IDLE_TIMEOUT_MS = 60_000

/**
 * The endpoint the SDK would use from its own configuration (environment, then profile), read
 * the SDK's way so that profiles with `endpoint_url` count too.
 */
async function configuredEndpoint(): Promise<string | undefined> {
  const probe = new S3Client({})
  try {
    return await probe.config.serviceConfiguredEndpoint?.()
  } finally {
    probe.destroy()
  }
}

async function configuredRegion(): Promise<string | undefined> {
  const probe = new S3Client({})
  try {
    return await probe.config.region()
  } catch {
    return undefined
  } finally {
    probe.destroy()
  }
}

export async function connectS3(options: S3ConnectionOptions = {}): Promise<S3Connection> {
  const endpoint = options.endpoint ?? (await configuredEndpoint())
  const region =
    options.region ?? (await configuredRegion()) ?? (endpoint ? 'us-east-1' : undefined)
  const config: S3ClientConfig = {
    requestHandler: { connectionTimeout: CONNECT_TIMEOUT_MS, socketTimeout: IDLE_TIMEOUT_MS },
    ...(region ? { region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    // An endpoint that is not AWS: path-style addressing (no per-bucket DNS names), and no
    // flexible checksums, which since SDK 3.729 send `aws-chunked` bodies that Swift refuses
    // with a 501 and other S3-compatible stores handle unevenly.
    ...(endpoint
      ? {
          endpoint,
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  }
  return {
    client: new S3Client({ ...config, maxAttempts: 3 }),
    once: new S3Client({ ...config, maxAttempts: 1 }),
    endpointName: endpoint ?? `AWS S3 (${region ?? 'no region set'})`,
  }
}

interface SdkError {
  name?: string
  Code?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

const asSdkError = (error: unknown): SdkError =>
  typeof error === 'object' && error !== null ? (error as SdkError) : {}

/** The HTTP status the store answered, or undefined when no answer came. */
export const storeStatus = (error: unknown): number | undefined =>
  asSdkError(error).$metadata?.httpStatusCode

// Store-side names that mean "try again later", whatever status carried them.
const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
])

/** What a store's error means to the server, whichever S3 implementation said it. */
export type S3Failure =
  /** A completion listed an etag the store does not hold for that part, or no such part. */
  | 'part_mismatch'
  /** A part other than the last is below the store's minimum part size. */
  | 'part_too_small'
  /** The store no longer holds the multipart upload (aborted, completed, swept). */
  | 'upload_gone'
  /** No object at that key. */
  | 'not_found'
  /** Stopped, 5xx, timed out, reset: the same request may succeed later. */
  | 'unavailable'
  /** The store refused the server's own request (credentials, permissions): configuration. */
  | 'refused'

export function classify(error: unknown): S3Failure {
  const sdk = asSdkError(error)
  const name = sdk.Code ?? sdk.name ?? sdk.code ?? ''
  const status = storeStatus(error)
  switch (name) {
    case 'InvalidPart':
    case 'InvalidPartOrder':
      return 'part_mismatch'
    case 'EntityTooSmall':
      return 'part_too_small'
    case 'NoSuchUpload':
      return 'upload_gone'
    case 'NoSuchKey':
    case 'NotFound':
      return 'not_found'
  }
  if (
    status === undefined ||
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    TRANSIENT.has(name)
  ) {
    return 'unavailable'
  }
  return status === 404 ? 'not_found' : 'refused'
}

/**
 * The store's error as the server's own (storage/types.ts): StorageUnavailable (answered 503
 * with Retry-After) or StorageRefusal (a 4xx). `what` names the operation ("storing part 3").
 * The raw error is kept as `cause`, for logs only: its text never reaches the user.
 */
export function toStorageError(error: unknown, what: string): StorageRefusal | StorageUnavailable {
  if (error instanceof StorageRefusal || error instanceof StorageUnavailable) return error
  switch (classify(error)) {
    case 'part_mismatch':
      return new StorageRefusal(
        'A listed part does not match what the storage holds: its etag is wrong, or the part was never stored. Re-send that part and list the etag its receipt gave.',
      )
    case 'part_too_small':
      return new StorageRefusal(
        "A part other than the last is below the storage's minimum part size.",
      )
    case 'upload_gone':
      return new StorageRefusal('The storage no longer holds this upload: start a new one.')
    case 'not_found':
      return new StorageRefusal("The file's bytes are not in the storage.")
    case 'unavailable':
      return new StorageUnavailable(
        `The storage is not answering (${what}). Nothing was lost: retry shortly.`,
        { cause: error },
      )
    case 'refused':
      // Not the user's doing, and an operator can mend it while clients wait and retry.
      return new StorageUnavailable(
        `The storage refused the server's request while ${what}: the server's storage settings need attention.`,
        { cause: error },
      )
  }
}

/**
 * The start-up check: the bucket exists and these credentials may use it. Throws one sentence
 * naming the endpoint and the bucket; s3api answers some of these cases only "UnknownError",
 * so the message is the server's own, chosen by what was observed.
 */
export async function checkBucket(connection: S3Connection, bucket: string): Promise<void> {
  const where = `bucket "${bucket}" at ${connection.endpointName}`
  try {
    await connection.client.send(new HeadBucketCommand({ Bucket: bucket }), {
      abortSignal: AbortSignal.timeout(CONNECT_TIMEOUT_MS * 3),
    })
    return
  } catch (error) {
    const sdk = asSdkError(error)
    const name = sdk.name ?? ''
    const status = storeStatus(error)
    if (name === 'CredentialsProviderError') {
      throw new Error(
        `No S3 credentials for ${where}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.`,
      )
    }
    if (/region is missing/i.test(sdk.message ?? '')) {
      throw new Error(`No AWS region for ${where}: set AWS_REGION.`)
    }
    if (status === undefined) {
      throw new Error(
        `Cannot reach the S3 endpoint ${connection.endpointName} to check bucket "${bucket}" (${describeNetwork(error)}). Is the store running, and is AWS_ENDPOINT_URL_S3 right?`,
      )
    }
    if (status === 404) {
      throw new Error(
        `Bucket "${bucket}" does not exist at ${connection.endpointName}. Create it, or point --storage at an existing bucket.`,
      )
    }
    if (status === 401 || status === 403) {
      throw new Error(
        `The S3 endpoint ${connection.endpointName} refused the credentials for bucket "${bucket}" (HTTP ${status}). Check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the profile), and that they may use this bucket.`,
      )
    }
    throw new Error(
      `The S3 endpoint ${connection.endpointName} answered HTTP ${status} when the server checked ${where}. Is it an S3 endpoint, and is it healthy?`,
    )
  }
}

function describeNetwork(error: unknown): string {
  const sdk = asSdkError(error)
  if (sdk.name === 'TimeoutError' || sdk.name === 'AbortError') return 'no answer in time'
  if (sdk.code === 'ECONNREFUSED') return 'connection refused'
  if (sdk.code === 'ENOTFOUND' || sdk.code === 'EAI_AGAIN') return 'host not found'
  return sdk.code ?? sdk.name ?? 'no answer'
}
