import type { Conditions } from '../conditions/types.ts'
import type { FileObject, MediaObject, Metadata } from './protocol-types.ts'
import type { Storage } from './storage/types.ts'

// The protocol's data shapes, in a file that imports nothing: `partwise/server`'s types reach
// them, and an app's type-check must not need Node's types or a store's for them.
export type {
  FileObject,
  MediaKind,
  MediaObject,
  Metadata,
  MetadataValue,
  SourceObject,
} from './protocol-types.ts'

/** Options of `createUploadServer`; every one has a default fit for tests and the demo. */
export interface UploadServerOptions {
  /** The key the API routes (`POST /uploads`, `/files`) want as `Authorization: Bearer …`. @default a random key, see `server.apiKey` */
  apiKey?: string
  /** Where the database (`partwise.sqlite`), parts and fetched files live. @default a fresh directory under `os.tmpdir()`, removed on `close()` */
  dataDir?: string
  /** @default '127.0.0.1' */
  host?: string
  /** @default 0 (a free port) */
  port?: number
  /** Enables `/__control/*` (fault injection, stats) and `PUT /__bench/raw`. @default false */
  control?: boolean
  /** Largest part body in bytes; larger parts are refused with 413. @default 512 MiB */
  maxPartSize?: number
  /** Largest file in bytes; a completion over it is refused with 413. @default 5 GiB */
  maxFileSize?: number
  /** Seconds an upload URL lives when `POST /uploads` names no `timeout`. @default 300 */
  sessionTimeout?: number
  /** Secret the upload keys are signed with. Keep it to reuse a `dataDir` after a restart. @default random */
  signingSecret?: string
  /** Milliseconds a request body may send nothing before the request is cut. @default 30000 */
  bodyTimeoutMs?: number
  /**
   * Lets `POST /files` fetch URLs that resolve to loopback, private, link-local or other
   * non-public addresses. Off, such URLs (and redirects to them) are refused, so the API key
   * cannot be used to probe the network the server sits in. @default false
   */
  allowPrivateUrls?: boolean
  /** Milliseconds `POST /files` may spend fetching a URL, redirects included. @default 30000 */
  fetchTimeoutMs?: number
  /** Largest file in bytes `POST /files` fetches; past it the fetch is cut (413). @default `maxFileSize` */
  maxFetchSize?: number
  /**
   * Where the records (sessions, media, files) live: a `postgres://…` URL puts them in
   * PostgreSQL, which every node behind a load balancer shares; empty keeps them in SQLite in
   * `dataDir`. The schema is created or migrated by `listen()`. @default '' (SQLite)
   */
  database?: string
  /**
   * The origin clients reach this server at, when that is not where it listens (a node behind
   * a load balancer): upload URLs and file URLs are built on it. An origin only, no path.
   * @default '' (the address it listens on)
   */
  publicUrl?: string
  /**
   * Where parts and files are kept. `s3://BUCKET/PREFIX` selects S3 or any S3-compatible store
   * (R2, MinIO, Ceph, Swift), with endpoint, region and credentials from the AWS SDK's standard
   * environment (`AWS_ENDPOINT_URL_S3`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`,
   * `AWS_SECRET_ACCESS_KEY`, profiles); it needs `@aws-sdk/client-s3` installed. A `Storage`
   * object is used as it is. `listen()` checks the store first and rejects with a message that
   * names it. @default the `dataDir` on disk
   */
  storage?: string | Storage
  /**
   * Milliseconds between sweeps of expired sessions: what they left in the store is dropped
   * (S3: AbortMultipartUpload), then their records. 0 turns the sweeper off.
   * @default 60000 with `storage: 's3://…'`, else 0 (the disk keeps what it always kept)
   */
  sweepIntervalMs?: number
}

export interface CloseOptions {
  /**
   * Milliseconds the requests in flight may take to finish once the server stopped taking new
   * ones; what is left then is cut. @default 0 (cut at once)
   */
  graceMs?: number
}

export interface UploadServer {
  /** Starts listening; resolves with the origin, e.g. `http://127.0.0.1:43121`. */
  listen(): Promise<string>
  /**
   * Stops taking requests, lets those in flight finish within `graceMs`, then closes every
   * socket, the database and the store; idempotent.
   */
  close(options?: CloseOptions): Promise<void>
  /** The origin after `listen()`; an empty string before. */
  readonly url: string
  readonly apiKey: string
  readonly dataDir: string
}

export type ResolvedServerOptions = Required<
  Omit<UploadServerOptions, 'storage' | 'sweepIntervalMs'>
>

/** One stored version of a part: the etag handed to the client and the byte count on disk. */
export interface PartVersion {
  etag: string
  size: number
  /**
   * The file's name in the session's `parts/` folder, one per version (`<index>.<etag>`);
   * absent in records written before parts had versions (and for the simple upload's part),
   * whose file is `parts/<index>`.
   */
  file?: string
}

/**
 * A part index's versions: the newest stored (what counts when nothing says otherwise) and,
 * newest first, the earlier ones still held. A completion may name any of them: a late
 * original (an aborted request whose body was already buffered, a slow proxy) can land after
 * its re-sent copy, and the etag the client kept must still find its bytes.
 */
export interface PartRecord extends PartVersion {
  older?: PartVersion[]
}

/** An upload session as persisted in the `sessions` table. */
export interface SessionRecord {
  id: string
  resumable: boolean
  filename: string | null
  folder: string | null
  alias: string | null
  metadata: Metadata
  /** As the backend sent them (an object or an array); null when none. */
  conditions: Conditions | null
  created: string
  /** Epoch milliseconds; `/__control/expire` moves it to the past. */
  expiresAt: number
  /** True once an upload completed with this key: the key is spent. */
  spent: boolean
  mediaId: string | null
  /** Keyed by the decimal part index. */
  parts: Record<string, PartRecord>
  /**
   * The store's id of the session's multipart upload (`Storage.beginUpload`); absent for a
   * simple upload, and for the disk's, whose key is enough.
   */
  uploadId?: string
}

/** One file of stored bytes, relative to `dataDir`, in file order. */
export interface ManifestPart {
  path: string
  size: number
}

/** What the `files` table holds: the file without its origin-bound `url`, and its bytes. */
export interface FileRecord {
  file: Omit<FileObject, 'url'>
  manifest: ManifestPart[]
  /**
   * True when the file is served at `/{id}` whatever its name: the name came from the browser
   * (a simple upload's form), not from the app, and another file already held its URL. A
   * file's url keeps serving its own bytes unless the app named it on purpose, so a second
   * `photo.png` never takes over the first one's `/photo.png`. Renaming it through the Files
   * API is on purpose, and ends it.
   */
  ownUrl?: true
}

/** What the `media` table holds; `sources` are read from the files that name the media. */
export type MediaRecord = Omit<MediaObject, 'sources'>
