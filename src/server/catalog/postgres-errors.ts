import { HttpError } from '../http/reply.ts'

/** Seconds a client is asked to wait: PostgreSQL restarting takes a second or two. */
export const DATABASE_RETRY_AFTER = 2

/**
 * The database did not answer, or answered "not now" (shutting down, starting, out of
 * connections, a lock held too long). The request did not happen and may be sent again, so
 * the client gets 503 with `Retry-After`, never a 500: docs/PROTOCOL.md §5 retries it.
 */
export class DatabaseUnavailable extends HttpError {
  constructor(cause: unknown) {
    super(503, 'The upload database is not answering right now; try again in a moment', {
      'Retry-After': String(DATABASE_RETRY_AFTER),
    })
    this.name = 'DatabaseUnavailable'
    this.cause = cause
  }
}

/** Errors of the socket under a connection: the database is down or unreachable. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/**
 * SQLSTATEs that mean "try again" rather than "this request is wrong": class 08 (connection
 * exceptions) is matched by its prefix.
 */
const TRANSIENT = new Set([
  '57P01', // admin_shutdown: the server is stopping (a fast or immediate shutdown)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or recovering
  '53300', // too_many_connections
  '55P03', // lock_not_available: lock_timeout passed
  '57014', // query_canceled: statement_timeout passed
  '40001', // serialization_failure
  '40P01', // deadlock_detected
])

/** node-postgres's own words for a connection it lost or could not get. */
const CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Query read timeout',
  'Client was closed and is not queryable',
]

/** True when `error` says the database is unavailable for now, not that the query is wrong. */
export function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK.has(code) || TRANSIENT.has(code))) return true
  if (typeof code === 'string' && code.startsWith('08')) return true
  if (error instanceof AggregateError) return error.errors.some(isUnavailable)
  return CLIENT_MESSAGES.some((text) => error.message.includes(text))
}

/** `error` as `DatabaseUnavailable` when it is one, else unchanged. */
export function classify(error: unknown): unknown {
  return error instanceof DatabaseUnavailable || !isUnavailable(error)
    ? error
    : new DatabaseUnavailable(error)
}
