import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Catalog } from '../catalog/types.ts'
import type { FaultSet } from '../control/faults.ts'
import type { StatsRecorder } from '../control/stats.ts'
import type { Storage } from '../storage/types.ts'
import type { ResolvedServerOptions } from '../types.ts'
import type { BodyOptions } from './body.ts'
import type { EnvelopeContext } from './reply.ts'

/** What lives as long as one server: shared by every request, owned by no module. */
export interface App {
  readonly options: ResolvedServerOptions
  /** Every record: sessions, media and files. */
  readonly catalog: Catalog
  /** Every byte: parts and files. */
  readonly storage: Storage
  readonly stats: StatsRecorder
  readonly faults: FaultSet
  /** The origin upload URLs are built on. */
  origin(): string
  /** Closes keep-alive connections that carry no request right now. */
  closeIdleConnections(): void
  /** Aborted on `close()`, so held (stalled, delayed) answers end with the server. */
  readonly closing: AbortSignal
}

/** One request being handled. */
export interface RequestContext extends EnvelopeContext {
  readonly app: App
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly query: URLSearchParams
  /** Aborted when the client disconnects or the server closes. */
  readonly signal: AbortSignal
  /** Body reading settings for this request; `limit` in bytes. */
  body(limit: number): BodyOptions
}
