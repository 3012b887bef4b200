import type { IncomingMessage, ServerResponse } from 'node:http'
import { applyFault } from '../control/inject.ts'
import { randomId } from '../ids.ts'
import { peekSession } from '../uploads/access.ts'
import { parsePartIndex } from '../uploads/part-index.ts'
import { drainBody } from './body.ts'
import type { App, RequestContext } from './context.ts'
import { CORS_HEADERS, errorReply, PREFLIGHT_HEADERS, type Reply, sendReply } from './reply.ts'
import { findRoute, isControlPath, isUploadPath } from './routes.ts'

function preflight(req: IncomingMessage): Reply {
  const headers: Record<string, string> = { ...PREFLIGHT_HEADERS }
  // Chrome's Private Network Access asks before a public page may reach loopback.
  if (req.headers['access-control-request-private-network'] === 'true') {
    headers['Access-Control-Allow-Private-Network'] = 'true'
  }
  return { kind: 'empty', status: 204, headers }
}

/** The request target as a URL; an unparsable one becomes a path that matches no route. */
function parseTarget(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'http://upload.invalid')
  } catch {
    return new URL('http://upload.invalid/invalid-request-target')
  }
}

/**
 * One request from start to finish: CORS headers, routing, fault injection, the answer, and
 * the statistics record. Never throws: every failure becomes an error envelope.
 */
export async function handleRequest(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase()
  const url = parseTarget(req.url)
  const path = url.pathname
  const isPart = method === 'PUT' && path === '/store/resumable'
  const index = isPart ? parsePartIndex(req.headers['x-upload-index']) : null
  // Upload traffic is the part PUTs and the simple POST; completions and control calls are not.
  const countsBytes = isPart || (method === 'POST' && path === '/store/single')
  const onBytes = countsBytes ? (bytes: number) => app.stats.addBytes(bytes) : undefined
  const { options } = app

  // Aborted when the client goes away or the server closes: held answers stop waiting.
  const abandoned = new AbortController()
  const onClosing = () => abandoned.abort()
  app.closing.addEventListener('abort', onClosing, { once: true })
  const ctx: RequestContext = {
    app,
    req,
    res,
    requestId: randomId('req_'),
    method,
    path,
    query: url.searchParams,
    signal: abandoned.signal,
    body: (limit) => ({
      limit,
      stallMs: options.bodyTimeoutMs,
      ...(onBytes ? { onBytes } : {}),
    }),
  }

  const record = isControlPath(path) ? null : app.stats.begin(method, path, index)
  if (isPart) app.stats.partStarted()
  res.on('close', () => {
    abandoned.abort()
    app.closing.removeEventListener('abort', onClosing)
    if (isPart) app.stats.partEnded()
    if (!record) return
    // Not finished: the connection went first, so the client never read this status.
    record.status = res.writableFinished ? res.statusCode : 0
    record.endedAt = Date.now()
  })
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value)
  // Chromium silently re-sends a request once when a reused keep-alive connection closes
  // without an answer (it cannot tell a drop from an idle timeout), so one client attempt
  // would show up as two requests. While a drop may fire, each connection carries one request.
  if (app.faults.drops) res.setHeader('Connection', 'close')

  let reply: Reply
  try {
    if (method === 'OPTIONS') {
      reply = preflight(req)
    } else {
      const route = findRoute(method, path, options.control)
      const fault =
        options.control && isUploadPath(path) && app.faults.size > 0
          ? await app.faults.pick({ method, path, index }, async () => {
              const session = await peekSession(ctx, url.searchParams.get('key'))
              return session ? Object.keys(session.parts).length : null
            })
          : null
      if (record && fault) record.faulted = true
      reply = fault
        ? await applyFault(ctx, fault, () => route.handler(ctx, route.param), onBytes)
        : await route.handler(ctx, route.param)
    }
  } catch (error) {
    reply = errorReply(error)
  }

  // A refusal sent before the body was read must still reach a browser, which reports a
  // connection reset mid-upload as a network error: read the rest (up to a cap) first.
  if (reply.kind !== 'none') await drainBody(req, ctx.body(0))
  if (!req.complete) res.setHeader('Connection', 'close')
  try {
    await sendReply(res, ctx, reply)
  } catch {
    res.destroy()
  }
}
