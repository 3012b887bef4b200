/** The protocol's data shapes (docs/PROTOCOL.md), as the reference server sends them. */

export type MetadataValue = string | number | boolean | null
export type Metadata = Record<string, MetadataValue>
export type MediaKind = 'image' | 'video' | 'audio'

/** docs/PROTOCOL.md §4: one stored file. Everything about the bytes is read from the bytes. */
export interface FileObject {
  id: string
  media_id: string
  object: 'source'
  kind: MediaKind | null
  /** The container as a short name (`mp4`, `jpg`, `webm`); null when not recognised. */
  format: string | null
  /** The MIME type read from the bytes; `application/octet-stream` when unknown. */
  type: string
  width: number | null
  height: number | null
  /** Seconds. */
  duration: number | null
  fps: number | null
  filesize: number
  folder: string | null
  filename: string | null
  /** `{origin}/{folder}/{filename}`, or `{origin}/{id}` when the file has no filename. */
  url: string
  ref: string | null
  /** True for the file that was uploaded or fetched to make its media. */
  original: boolean
  metadata: Metadata
  created: string
  updated: string
}

/** A file as the media object's `sources` lists it, with the upload guide's `label`. */
export interface SourceObject extends FileObject {
  /** `original` for the uploaded file, else the file's `ref`. */
  label: string | null
}

/** The completion's answer (the seed's Media object, with what the reference server can know). */
export interface MediaObject {
  id: string
  object: 'media'
  kind: MediaKind | null
  type: string
  width: number | null
  height: number | null
  duration: number | null
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
