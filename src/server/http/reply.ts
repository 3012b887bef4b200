import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** The API version the envelope names (the seed's). */
export const API_VERSION = '2024-08-21'

/** A refusal with its HTTP status and a sentence a person understands. */
export class HttpError extends Error {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.headers = headers
  }
}

/**
 * What a handler answers. Handlers return a value instead of writing to the response so that
 * fault injection can hold, replace or drop the answer after the real work is done.
 */
export type Reply =
  | {
      kind: 'json'
      status: number
      data: unknown
      type?: 'object' | 'list'
      headers?: Record<string, string>
      /** Added to the envelope's `meta` (a list's `total`, `page`, `limit`, `pages`). */
      meta?: Record<string, number>
      links?: Record<string, string>
    }
  | { kind: 'error'; status: number; message: string; headers?: Record<string, string> }
  | { kind: 'raw'; status: number; body: string; contentType: string }
  | { kind: 'stream'; status: number; stream: Readable; headers: Record<string, string> }
  | { kind: 'empty'; status: number; headers?: Record<string, string> }
  /** The connection is gone (client abort, injected drop): nothing can be sent. */
  | { kind: 'none' }

export function ok(data: unknown, headers?: Record<string, string>): Reply {
  return headers
    ? { kind: 'json', status: 200, data, headers }
    : { kind: 'json', status: 200, data }
}

/** Thrown when the client went away mid-request: there is no one left to answer. */
export class ClientGone extends Error {
  constructor() {
    super('The client closed the connection')
    this.name = 'ClientGone'
  }
}

export function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) {
    return {
      kind: 'error',
      status: error.status,
      message: error.message,
      headers: { ...error.headers },
    }
  }
  if (error instanceof ClientGone) return { kind: 'none' }
  // Anything else is a bug or an I/O failure; the client gets a 500 it can retry.
  const detail = error instanceof Error ? error.message : String(error)
  return { kind: 'error', status: 500, message: `The server failed: ${detail}` }
}

/**
 * Sent on every response. The upload URL usually lives on another origin than the app, and
 * `X-Upload-Index` makes every part request preflighted; the browser also hides any response
 * header not exposed here, so `Retry-After` must be listed for a client to honour it, and the
 * range headers for a script that reads a file's URL in slices.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'Retry-After, ETag, Content-Range, Accept-Ranges, Content-Length, Content-Disposition',
}

export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'Access-Control-Allow-Headers':
    'Content-Type, X-Upload-Index, Authorization, Range, If-None-Match, If-Range',
  'Access-Control-Max-Age': '600',
}

export interface EnvelopeContext {
  requestId: string
  method: string
  path: string
}

export function envelopeMeta(ctx: EnvelopeContext, status: number, type: 'object' | 'list') {
  return {
    id: ctx.requestId,
    status,
    type,
    method: ctx.method,
    path: ctx.path,
    version: API_VERSION,
  }
}

function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** Writes a reply; a response whose socket is already gone is skipped quietly. */
export async function sendReply(
  res: ServerResponse,
  ctx: EnvelopeContext,
  reply: Reply,
): Promise<void> {
  if (res.destroyed || res.writableEnded || res.headersSent) return
  switch (reply.kind) {
    case 'json':
      writeJson(
        res,
        reply.status,
        {
          meta: { ...envelopeMeta(ctx, reply.status, reply.type ?? 'object'), ...reply.meta },
          data: reply.data,
          links: reply.links ?? {},
        },
        reply.headers,
      )
      return
    case 'error':
      writeJson(
        res,
        reply.status,
        { meta: envelopeMeta(ctx, reply.status, 'object'), error: { message: reply.message } },
        reply.headers,
      )
      return
    case 'raw':
      res.writeHead(reply.status, {
        'Content-Type': reply.contentType,
        'Content-Length': String(Buffer.byteLength(reply.body)),
      })
      res.end(reply.body)
      return
    case 'stream':
      res.writeHead(reply.status, reply.headers)
      await pipeline(reply.stream, res).catch(() => res.destroy())
      return
    case 'empty':
      res.writeHead(reply.status, reply.headers ?? {})
      res.end()
      return
    case 'none':
      res.destroy()
      return
  }
}
