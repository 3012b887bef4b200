import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * Upload keys are `<sessionId>.<expiry, base 36 ms>.<HMAC-SHA256, base64url>`, the MAC taken
 * over `<sessionId>.<expiry>` with the server's signing secret. The URL is the browser's only
 * credential, so a key must be unguessable (random session id) and unforgeable (MAC); the
 * expiry travels in the key so a stale URL is refused without touching the disk.
 */
function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url')
}

export function signKey(secret: string, sessionId: string, expiresAt: number): string {
  const payload = `${sessionId}.${expiresAt.toString(36)}`
  return `${payload}.${mac(secret, payload)}`
}

export interface VerifiedKey {
  sessionId: string
  expiresAt: number
}

const KEY_SHAPE = /^([A-Za-z0-9_-]{8,64})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/

/** The key's contents when this server signed it; null for anything forged or malformed. */
export function verifyKey(secret: string, key: string): VerifiedKey | null {
  const match = KEY_SHAPE.exec(key)
  if (!match) return null
  const [, sessionId = '', expiry = '', signature = ''] = match
  const expected = Buffer.from(mac(secret, `${sessionId}.${expiry}`))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null
  return { sessionId, expiresAt: Number.parseInt(expiry, 36) }
}

/** The `key` query parameter of an upload URL (absolute or a path), or null. */
export function keyOfUrl(url: string): string | null {
  try {
    return new URL(url, 'http://upload.invalid').searchParams.get('key')
  } catch {
    return null
  }
}
