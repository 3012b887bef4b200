/**
 * The reference server's bytes in any S3-compatible store, through the AWS SDK v3. The
 * protocol maps onto S3 multipart upload: a session owns one multipart upload, part i is
 * UploadPart number i+1 streamed from the request, its receipt's etag is S3's ETag, and the
 * completion is CompleteMultipartUpload with the client's etags, so the store checks them.
 * Simple mode is one streamed PutObject.
 *
 * Every failure leaves as a StoreUnavailableError (503 + Retry-After: retry) or a
 * StoreRefusedError (a 4xx sentence): never as the SDK's own error.
 */
import type { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { type PartLimits, S3_PART_LIMITS } from './part-limits.ts'
import {
  checkBucket,
  connectS3,
  type S3Connection,
  type S3ConnectionOptions,
  toStoreError,
} from './s3-client.ts'
import { parseS3Url, type S3Location } from './s3-location.ts'
import { StoreRefusedError } from './store-errors.ts'

export interface S3StoreOptions extends S3ConnectionOptions {
  /** `s3://BUCKET/PREFIX`, or its parts. */
  location: string | S3Location
}

/** A byte range, both ends inclusive (as in HTTP's `Range`). */
export interface ByteRange {
  start: number
  end: number
}

export interface StoredObject {
  /** The bytes asked for, streamed from the store. */
  stream: Readable
  /** Bytes in `stream`. */
  length: number
  /** Bytes in the whole object. */
  size: number
  contentType: string | undefined
}

/** A multipart upload the store holds, as ListMultipartUploads names it. */
export interface PendingUpload {
  key: string
  uploadId: string
  initiated: Date | undefined
}

export class S3Store {
  readonly bucket: string
  readonly prefix: string
  readonly limits: PartLimits = S3_PART_LIMITS
  readonly #s3: S3Connection

  private constructor(location: S3Location, connection: S3Connection) {
    this.bucket = location.bucket
    this.prefix = location.prefix
    this.#s3 = connection
  }

  /** Connects and checks the bucket: rejects with a sentence naming the endpoint and bucket. */
  static async open(options: S3StoreOptions): Promise<S3Store> {
    const location =
      typeof options.location === 'string' ? parseS3Url(options.location) : options.location
    const connection = await connectS3(options)
    const store = new S3Store(location, connection)
    try {
      await checkBucket(connection, location.bucket)
    } catch (error) {
      store.close()
      throw error
    }
    return store
  }

  /** Where the store points, for logs and messages: "s3://bucket/prefix/ at http://…". */
  get description(): string {
    return `s3://${this.bucket}/${this.prefix} at ${this.#s3.endpointName}`
  }

  /** The full key of a name the server chose. */
  key(name: string): string {
    return this.prefix + name
  }

  async createMultipart(key: string, contentType?: string): Promise<string> {
    try {
      const { UploadId } = await this.#s3.client.send(
        new CreateMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          ContentType: contentType,
        }),
      )
      if (!UploadId) throw new Error('CreateMultipartUpload answered no UploadId')
      return UploadId
    } catch (error) {
      throw toStoreError(error, 'starting an upload')
    }
  }

  /**
   * Streams `size` bytes of `body` as part `index` (PartNumber index+1) and resolves with S3's
   * ETag only once the store has confirmed the part: nothing is acknowledged before that.
   */
  async uploadPart(
    key: string,
    uploadId: string,
    index: number,
    body: Readable,
    size: number,
    signal?: AbortSignal,
  ): Promise<string> {
    try {
      const { ETag } = await this.#s3.once.send(
        new UploadPartCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: index + 1,
          Body: body,
          ContentLength: size,
        }),
        signal ? { abortSignal: signal } : {},
      )
      if (!ETag) throw new Error('UploadPart answered no ETag')
      return ETag
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw toStoreError(error, `storing part ${index}`)
    }
  }

  /**
   * Joins the parts into one object with the client's etags: the store checks each one, and a
   * wrong or missing part is a StoreRefusedError('part_mismatch'), never a success.
   */
  async completeMultipart(
    key: string,
    uploadId: string,
    parts: readonly { index: number; etag: string }[],
  ): Promise<void> {
    try {
      await this.#s3.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: {
            Parts: [...parts]
              .sort((a, b) => a.index - b.index)
              .map((part) => ({ PartNumber: part.index + 1, ETag: part.etag })),
          },
        }),
      )
    } catch (error) {
      throw toStoreError(error, 'joining the parts')
    }
  }

  /** Drops a multipart upload and its parts; one the store no longer holds counts as dropped. */
  async abortMultipart(key: string, uploadId: string): Promise<void> {
    try {
      await this.#s3.client.send(
        new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
      )
    } catch (error) {
      const mapped = toStoreError(error, 'dropping an upload')
      if (mapped instanceof StoreRefusedError && mapped.refusal === 'upload_gone') return
      throw mapped
    }
  }

  /** Simple mode: one streamed PutObject of `size` bytes. Resolves with its ETag. */
  async putObject(
    key: string,
    body: Readable,
    size: number,
    contentType?: string,
    signal?: AbortSignal,
  ): Promise<string> {
    try {
      const { ETag } = await this.#s3.once.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentLength: size,
          ContentType: contentType,
        }),
        signal ? { abortSignal: signal } : {},
      )
      return ETag ?? ''
    } catch (error) {
      if (signal?.aborted) throw signal.reason
      throw toStoreError(error, 'storing the file')
    }
  }

  /** The object's bytes, or only `range` of them (a video seeks; a probe reads a header). */
  async getObject(key: string, range?: ByteRange): Promise<StoredObject> {
    try {
      const answer = await this.#s3.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      )
      const length = answer.ContentLength ?? 0
      const total = /\/(\d+)$/.exec(answer.ContentRange ?? '')?.[1]
      return {
        stream: answer.Body as Readable,
        length,
        size: total === undefined ? length : Number(total),
        contentType: answer.ContentType,
      }
    } catch (error) {
      throw toStoreError(error, 'reading a file')
    }
  }

  /** The object's size, or null when the store does not hold it. */
  async sizeOf(key: string): Promise<number | null> {
    try {
      const answer = await this.#s3.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key }),
      )
      return answer.ContentLength ?? 0
    } catch (error) {
      const mapped = toStoreError(error, 'reading a file')
      if (mapped instanceof StoreRefusedError && mapped.refusal === 'not_found') return null
      throw mapped
    }
  }

  /** Removes the object; one already gone counts as removed (S3 answers the same). */
  async deleteObject(key: string): Promise<void> {
    try {
      await this.#s3.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
    } catch (error) {
      throw toStoreError(error, 'removing a file')
    }
  }

  /** Every multipart upload the store holds under this store's prefix. */
  async pendingUploads(): Promise<PendingUpload[]> {
    const found: PendingUpload[] = []
    let KeyMarker: string | undefined
    let UploadIdMarker: string | undefined
    try {
      for (;;) {
        const page = await this.#s3.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            Prefix: this.prefix || undefined,
            KeyMarker,
            UploadIdMarker,
          }),
        )
        for (const upload of page.Uploads ?? []) {
          if (upload.Key && upload.UploadId) {
            found.push({ key: upload.Key, uploadId: upload.UploadId, initiated: upload.Initiated })
          }
        }
        if (!page.IsTruncated) return found
        KeyMarker = page.NextKeyMarker
        UploadIdMarker = page.NextUploadIdMarker
      }
    } catch (error) {
      throw toStoreError(error, 'listing unfinished uploads')
    }
  }

  close(): void {
    this.#s3.client.destroy()
    this.#s3.once.destroy()
  }
}
