/** Deterministic pseudo-random bytes (xorshift32), so a failure can be reproduced byte for byte. */
export function patternBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  let x = seed >>> 0 || 1
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 0xff
  }
  return bytes
}

export function makeFile(size: number, name = 'data.bin', seed = size + 7): File {
  return new File([patternBytes(size, seed)], name, {
    type: 'application/octet-stream',
    lastModified: 1_700_000_000_000 + seed,
  })
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer())
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
