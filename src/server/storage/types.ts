import type { Readable } from 'node:stream'
import type { ManifestPart } from '../types.ts'

/**
 * The bytes' seam: every byte the server keeps goes through one `Storage`. The disk
 * (storage/disk.ts) is the default; an S3 store maps each call onto one S3 request, as the
 * comments say. Records (sessions, media, files) are the catalog's, never the store's.
 *
 * Keys are relative, `/`-separated paths chosen by the caller (`sessions/<id>` for an upload,
 * `fetched/<id>` for a fetched file); a store may put a prefix before them.
 */
export interface Storage {
  /** Names the store in messages: `disk /var/partwise`, `s3://bucket/prefix at http://…`. */
  readonly description: string

  /** Resolves once the store answers; rejects with a message that names the store otherwise. */
  check(): Promise<void>

  /**
   * Opens a multipart upload whose finished file will live at `key`, and answers the store's
   * id for it (S3: CreateMultipartUpload's UploadId; the disk: '' — the key is enough).
   */
  beginUpload(key: string): Promise<string>

  /**
   * Stores part `index` from `body`, streamed, never held whole in memory; `length` is the
   * request's Content-Length when it declared one (S3's UploadPart needs it, PartNumber
   * index + 1). Answers only once the store holds the bytes. A part written again for the
   * same index is a new version with its own etag; whether the older one stays readable is
   * the store's business (the disk keeps it until `deletePart`, S3 replaces it).
   * Rejects with the body stream's own error when the body fails (stall, client gone).
   */
  writePart(
    upload: UploadTarget,
    index: number,
    body: Readable,
    length: number | null,
  ): Promise<WrittenPart>

  /** Forgets one version of a part (a write that lost, a superseded copy); absent is fine. */
  deletePart(upload: UploadTarget, part: PartRef): Promise<void>

  /**
   * Makes the file from the listed versions, in index order (S3: CompleteMultipartUpload
   * with the client's etags; a store that refuses an etag rejects with `StorageRefusal`).
   * The parts' bytes then belong to the answered object.
   */
  completeUpload(upload: UploadTarget, parts: readonly PartRef[]): Promise<StoredObject>

  /** Drops an unfinished upload and every part of it (S3: AbortMultipartUpload). */
  abortUpload(upload: UploadTarget): Promise<void>

  /**
   * Stores a whole file at `key` from `body`, streamed (simple mode, `POST /files`; S3:
   * PutObject, or its multipart form when `length` is unknown).
   */
  putObject(key: string, body: Readable, length: number | null): Promise<StoredObject>

  /**
   * The object's bytes `start`..`end` (inclusive), or all of them: serving a file's URL with
   * `Range`, and media probing, which reads only the ranges its parsers ask for
   * (S3: GetObject with `Range`).
   */
  read(object: StoredObject, range?: ByteRange): Readable

  /** The object's size as the store sees it now; null when it is gone (S3: HeadObject). */
  stat(object: StoredObject): Promise<number | null>

  /** Removes a finished object's bytes; absent is fine. */
  delete(object: StoredObject): Promise<void>

  /** Lets go of connections and handles; the server calls it once, on `close()`. */
  close(): Promise<void>
}

/** An unfinished upload in the store: its key and the id `beginUpload` answered. */
export interface UploadTarget {
  readonly key: string
  readonly uploadId: string
}

/** What the store answers for a written part: the receipt's etag, and the bytes it holds. */
export interface WrittenPart {
  readonly etag: string
  readonly size: number
  /**
   * The store's own name for this version when the etag alone does not give it (the disk's
   * `parts/<index>.<etag>`, or `parts/<index>` in records from before part versions). Kept
   * in the session record with the part, handed back in `PartRef`; S3 leaves it out.
   */
  readonly file?: string
}

/** A part version as the session record keeps it, with its index. */
export interface PartRef extends WrittenPart {
  readonly index: number
}

/**
 * Where a finished file's bytes lie, as the catalog keeps it with the file: its size and its
 * pieces in file order. The disk lists the upload's part files (completion joins nothing, see
 * PERFORMANCE.md); S3 lists one object, `[{ path: key, size }]`. Only the store that wrote it
 * reads `manifest`.
 */
export interface StoredObject {
  readonly size: number
  readonly manifest: readonly ManifestPart[]
}

/** A byte range, both ends inclusive, as HTTP's `Range` says it. */
export interface ByteRange {
  readonly start: number
  readonly end: number
}

/**
 * A store refused what the client asked for (S3's InvalidPart, EntityTooSmall): the caller
 * answers it as a 4xx with this message, never the store's raw error.
 */
export class StorageRefusal extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StorageRefusal'
  }
}

/**
 * The store cannot be reached or failed (stopped, 5xx, timeout): the caller answers 503 with
 * `Retry-After`, so the client tries the request again later.
 */
export class StorageUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'StorageUnavailable'
  }
}
