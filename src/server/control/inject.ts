import { setTimeout as delay } from 'node:timers/promises'
import { dropAfterFirstBytes } from '../http/body.ts'
import type { RequestContext } from '../http/context.ts'
import { errorReply, type Reply } from '../http/reply.ts'
import { EXPIRED_MESSAGE, peekSession } from '../uploads/access.ts'
import type { FaultRule } from './faults.ts'

/** Waits `ms`, or less when the signal aborts (client gone, server closing). */
async function hold(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal, ref: false }).catch(() => undefined)
}

/**
 * Runs a request under a fault rule. `handle` is the real handler; whether it runs, and what
 * happens to its answer, is the rule's to say. A body left unread here is drained by the
 * caller before the answer goes out, so the client reads the injected status rather than a
 * reset connection.
 */
export async function applyFault(
  ctx: RequestContext,
  rule: FaultRule,
  handle: () => Promise<Reply>,
  onBytes?: (bytes: number) => void,
): Promise<Reply> {
  if (rule.latencyMs) await hold(rule.latencyMs, ctx.signal)

  if (rule.expire) {
    const session = await peekSession(ctx, ctx.query.get('key'))
    if (session) {
      await ctx.app.catalog.updateSession(session.id, (record) => {
        record.expiresAt = Math.min(record.expiresAt, Date.now())
      })
    }
    return { kind: 'error', status: 410, message: EXPIRED_MESSAGE }
  }

  if (rule.status !== undefined) {
    return {
      kind: 'error',
      status: rule.status,
      message: `The server answered ${rule.status} (an injected fault); nothing was stored`,
      ...(rule.retryAfter === undefined ? {} : { headers: { 'Retry-After': rule.retryAfter } }),
    }
  }

  if (rule.drop) {
    await dropAfterFirstBytes(ctx.req, onBytes)
    return { kind: 'none' }
  }

  const reply = await handle().catch(errorReply)
  if (rule.stallMs) await hold(rule.stallMs, ctx.signal)
  const succeeded = reply.kind === 'json' && reply.status < 300
  if (rule.body !== undefined && succeeded) {
    return {
      kind: 'raw',
      status: 200,
      body: rule.body,
      contentType: 'application/json; charset=utf-8',
    }
  }
  return reply
}
