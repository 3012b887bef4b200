/** Options of `createUploadServer`; every one has a default fit for tests and the demo. */
export interface UploadServerOptions {
  /** The key `POST /uploads` wants as `Authorization: Bearer …`. @default a random key, see `server.apiKey` */
  apiKey?: string
  /** Where sessions, parts and media records live. @default a fresh directory under `os.tmpdir()`, removed on `close()` */
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
}

export interface UploadServer {
  /** Starts listening; resolves with the origin, e.g. `http://127.0.0.1:43121`. */
  listen(): Promise<string>
  /** Closes the server and every open socket; idempotent. */
  close(): Promise<void>
  /** The origin after `listen()`; an empty string before. */
  readonly url: string
  readonly apiKey: string
  readonly dataDir: string
}

export type ResolvedServerOptions = Required<UploadServerOptions>

export type MetadataValue = string | number | boolean | null
export type Metadata = Record<string, MetadataValue>
export type MediaKind = 'image' | 'video' | 'audio'

/** One stored part: the etag handed to the client and the byte count on disk. */
export interface PartRecord {
  etag: string
  size: number
}

/** An upload session as persisted in `sessions/<id>/session.json`. */
export interface SessionRecord {
  id: string
  resumable: boolean
  filename: string | null
  folder: string | null
  alias: string | null
  metadata: Metadata
  /** As the backend sent them (an object or an array); null when none. */
  conditions: unknown
  created: string
  /** Epoch milliseconds; `/__control/expire` moves it to the past. */
  expiresAt: number
  /** True once an upload completed with this key: the key is spent. */
  spent: boolean
  mediaId: string | null
  /** Keyed by the decimal part index. */
  parts: Record<string, PartRecord>
}

export interface SourceObject {
  id: string
  object: 'source'
  label: 'original'
  url: string
  type: string
  filesize: number
}

/** The completion's answer (the seed's Media object, with what the reference server can know). */
export interface MediaObject {
  id: string
  object: 'media'
  kind: MediaKind | null
  type: string
  width: null
  height: null
  duration: null
  filesize: number
  alias: string | null
  sources: SourceObject[]
  metadata: Metadata
  filename: string | null
  folder: string | null
  created: string
  updated: string
  status: 'active'
}

/** One file of a stored media, relative to `dataDir`, in file order. */
export interface ManifestPart {
  path: string
  size: number
}

/** What `media/<id>.json` holds: the answer given at completion and where its bytes are. */
export interface MediaRecord {
  media: MediaObject
  manifest: ManifestPart[]
}
