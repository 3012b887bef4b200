/**
 * The reference server's bytes in any S3-compatible store, through the AWS SDK v3. The
 * protocol maps onto S3 multipart upload: a session owns one multipart upload, part i is
 * UploadPart number i+1 streamed from the request, its receipt's etag is S3's ETag, and the
 * completion is CompleteMultipartUpload with the client's etags, so the store checks them.
 * Simple mode is one streamed PutObject.
 *
 * Every failure leaves as StorageUnavailable (503 + Retry-After: retry) or StorageRefusal (a
 * 4xx sentence), never as the SDK's own error; a failing request body leaves as its own error.
 */
import { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { completionSizeProblem, type PartLimits, S3_PART_LIMITS } from '../part-limits.ts'
import {
  type ByteRange,
  type PartRef,
  type Storage,
  StorageRefusal,
  type StoredObject,
  type UploadTarget,
  type WrittenPart,
} from '../types.ts'
import {
  checkBucket,
  classify,
  connectS3,
  type S3Connection,
  type S3ConnectionOptions,
  toStorageError,
} from './client.ts'
import { parseS3Url, type S3Location } from './location.ts'
import { listPendingUploads, type PendingUpload } from './pending.ts'
import { putUnknownLength } from './put-unknown.ts'
import { sweepUploads } from './sweeper.ts'

export interface S3StorageOptions extends S3ConnectionOptions {
  /** `s3://BUCKET/PREFIX`, or its parts. */
  location: string | S3Location
}

/** A ranged GetObject's answer: the bytes asked for, and the whole object's size. */
export interface RangeRead {
  stream: Readable
  length: number
  size: number
}

/**
 * Runs `send` with `body` as its request body. If the body fails (the client went away, a
 * stall), the store request is aborted at once, rather than waiting out an idle timeout, and
 * the body's own error is what rejects, as Storage says; the store's errors leave mapped.
 */
async function fromBody<T>(
  body: Readable,
  what: string,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController()
  let failed: { error: unknown } | undefined
  const onError = (error: unknown): void => {
    failed ??= { error }
    abort.abort(error)
  }
  const onClose = (): void => {
    if (!body.readableEnded) onError(new Error('The request body ended before its length'))
  }
  body.once('error', onError)
  body.once('close', onClose)
  try {
    return await send(abort.signal)
  } catch (error) {
    if (failed) throw failed.error
    throw toStorageError(error, what)
  } finally {
    body.off('error', onError)
    body.off('close', onClose)
  }
}

export class S3Storage implements Storage {
  readonly bucket: string
  readonly prefix: string
  readonly partLimits: PartLimits = S3_PART_LIMITS
  readonly #s3: S3Connection

  private constructor(location: S3Location, connection: S3Connection) {
    this.bucket = location.bucket
    this.prefix = location.prefix
    this.#s3 = connection
  }

  /** Resolves the SDK's configuration (endpoint, region, credentials); `check()` is separate. */
  static async create(options: S3StorageOptions): Promise<S3Storage> {
    const location =
      typeof options.location === 'string' ? parseS3Url(options.location) : options.location
    return new S3Storage(location, await connectS3(options))
  }

  /** `s3://bucket/prefix/ at http://…`: names the store in logs and messages. */
  get description(): string {
    return `s3://${this.bucket}/${this.prefix} at ${this.#s3.endpointName}`
  }

  /** Rejects with one sentence naming the endpoint and the bucket when the bucket is unusable. */
  check(): Promise<void> {
    return checkBucket(this.#s3, this.bucket)
  }

  /** The full S3 key of a key the server chose. */
  key(key: string): string {
    return this.prefix + key
  }

  async beginUpload(key: string): Promise<string> {
    try {
      const { UploadId } = await this.#s3.client.send(
        new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: this.key(key) }),
      )
      if (!UploadId) throw new Error('CreateMultipartUpload answered no UploadId')
      return UploadId
    } catch (error) {
      throw toStorageError(error, 'starting an upload')
    }
  }

  /** UploadPart number index+1, streamed; resolves only once the store confirmed the part. */
  async writePart(
    upload: UploadTarget,
    index: number,
    body: Readable,
    length: number | null,
  ): Promise<WrittenPart> {
    if (length === null) {
      body.resume()
      throw new StorageRefusal(
        `Part ${index} came without a Content-Length, which this storage needs`,
      )
    }
    const what = `storing part ${index}`
    const { ETag } = await fromBody(body, what, (abortSignal) =>
      this.#s3.once.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: this.key(upload.key),
          UploadId: upload.uploadId,
          PartNumber: index + 1,
          Body: body,
          ContentLength: length,
        }),
        { abortSignal },
      ),
    )
    if (!ETag) throw toStorageError(new Error('UploadPart answered no ETag'), what)
    return { etag: ETag, size: length }
  }

  /** S3 holds one version per part number, replaced by a newer write: nothing to forget. */
  async deletePart(): Promise<void> {}

  /**
   * CompleteMultipartUpload with the client's etags: the store checks each one, and a wrong or
   * missing part is a StorageRefusal, never a success. Sizes are checked first, so the client
   * reads why rather than the store's generic error.
   */
  async completeUpload(upload: UploadTarget, parts: readonly PartRef[]): Promise<StoredObject> {
    const ordered = [...parts].sort((a, b) => a.index - b.index)
    const problem = completionSizeProblem(
      ordered.map((part) => part.size),
      this.partLimits,
    )
    if (problem) throw new StorageRefusal(problem)
    try {
      await this.#s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key(upload.key),
          UploadId: upload.uploadId,
          MultipartUpload: {
            Parts: ordered.map((part) => ({ PartNumber: part.index + 1, ETag: part.etag })),
          },
        }),
      )
    } catch (error) {
      throw toStorageError(error, 'joining the parts')
    }
    const size = ordered.reduce((sum, part) => sum + part.size, 0)
    return { size, manifest: [{ path: upload.key, size }] }
  }

  /** AbortMultipartUpload; an upload the store no longer holds counts as aborted. */
  async abortUpload(upload: UploadTarget): Promise<void> {
    try {
      await this.#s3.client.send(
        new AbortMultipartUploadCommand({
          Bucket: this.bucket,
          Key: this.key(upload.key),
          UploadId: upload.uploadId,
        }),
      )
    } catch (error) {
      if (classify(error) === 'upload_gone') return
      throw toStorageError(error, 'dropping an upload')
    }
  }

  /** A streamed PutObject; without a length, a multipart upload in bounded pieces. */
  async putObject(key: string, body: Readable, length: number | null): Promise<StoredObject> {
    if (length === null) {
      const size = await putUnknownLength(this.#s3, this.bucket, this.key(key), body)
      return { size, manifest: [{ path: key, size }] }
    }
    await fromBody(body, 'storing the file', (abortSignal) =>
      this.#s3.once.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          Body: body,
          ContentLength: length,
        }),
        { abortSignal },
      ),
    )
    return { size: length, manifest: [{ path: key, size: length }] }
  }

  /** A ranged GetObject, as a promise: the probes' blob and `read` both use it. */
  async getRange(key: string, range?: ByteRange): Promise<RangeRead> {
    try {
      const answer = await this.#s3.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key(key),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      )
      const length = answer.ContentLength ?? 0
      const total = /\/(\d+)$/.exec(answer.ContentRange ?? '')?.[1]
      return {
        stream: answer.Body as Readable,
        length,
        size: total === undefined ? length : Number(total),
      }
    } catch (error) {
      throw toStorageError(error, 'reading a file')
    }
  }

  /** The object's bytes, or `range` of them; the GET starts when the stream is first read. */
  read(object: StoredObject, range?: ByteRange): Readable {
    const key = object.manifest[0]?.path
    if (key === undefined || object.size === 0) return Readable.from([])
    const getRange = this.getRange.bind(this)
    async function* bytes() {
      yield* (await getRange(key as string, range)).stream
    }
    return Readable.from(bytes())
  }

  async stat(object: StoredObject): Promise<number | null> {
    const key = object.manifest[0]?.path
    if (key === undefined) return null
    try {
      const answer = await this.#s3.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }),
      )
      return answer.ContentLength ?? 0
    } catch (error) {
      if (classify(error) === 'not_found') return null
      throw toStorageError(error, 'reading a file')
    }
  }

  /** DeleteObject; S3 answers the same for an object already gone. */
  async delete(object: StoredObject): Promise<void> {
    for (const { path } of object.manifest) {
      try {
        await this.#s3.client.send(
          new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(path) }),
        )
      } catch (error) {
        throw toStorageError(error, 'removing a file')
      }
    }
  }

  /** Every multipart upload the bucket holds under this store's prefix (for the sweeper). */
  pendingUploads(): Promise<PendingUpload[]> {
    return listPendingUploads(this.#s3, this.bucket, this.prefix)
  }

  /** ListMultipartUploads under the prefix, then AbortMultipartUpload for each orphan. */
  async sweepOrphans(isLive: (key: string, uploadId: string) => Promise<boolean>): Promise<void> {
    await sweepUploads(this, (upload) => isLive(upload.key, upload.uploadId))
  }

  async close(): Promise<void> {
    this.#s3.client.destroy()
    this.#s3.once.destroy()
  }
}

/** Creates the store and checks its bucket: rejects with a sentence naming both. */
export async function openS3Storage(options: S3StorageOptions): Promise<S3Storage> {
  const storage = await S3Storage.create(options)
  try {
    await storage.check()
  } catch (error) {
    await storage.close()
    throw error
  }
  return storage
}
