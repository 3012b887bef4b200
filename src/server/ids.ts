import { randomBytes } from 'node:crypto'

/**
 * An unguessable id, base64url so it is safe in URLs and file names.
 * 12 random bytes make collisions irrelevant at any scale this server sees.
 */
export function randomId(prefix = '', bytes = 12): string {
  return prefix + randomBytes(bytes).toString('base64url')
}

/** ISO 8601 in UTC, the format of every timestamp the API answers with. */
export function isoNow(now = Date.now()): string {
  return new Date(now).toISOString()
}
