/** What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14). */
export type RangeRequest =
  | { kind: 'whole' }
  /** Bytes `start`..`end`, both included. */
  | { kind: 'part'; start: number; end: number }
  | { kind: 'unsatisfiable' }

const WHOLE: RangeRequest = { kind: 'whole' }
const SPEC = /^(\d*)-(\d*)$/

/**
 * One byte range, which is what players ask for when they seek. A header the server may
 * ignore is answered with the whole file, as RFC 9110 allows: one that is not `bytes=`, is
 * malformed, or asks for several ranges (a multipart/byteranges answer buys a player nothing).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) return WHOLE
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header)
  const set = match?.[1]?.trim()
  if (!set || set.includes(',')) return WHOLE
  const spec = SPEC.exec(set)
  if (!spec) return WHOLE
  const [, first = '', last = ''] = spec
  if (first === '' && last === '') return WHOLE
  if (first === '') {
    // `bytes=-n`: the last n bytes, or the whole file when it is shorter than n.
    const suffix = Number(last)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  // `a-b` with b < a is malformed, and a malformed header is ignored.
  if (last !== '' && Number(last) < start) return WHOLE
  if (start >= size) return { kind: 'unsatisfiable' }
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  return { kind: 'part', start, end }
}

/** RFC 9110 §13.1.2: `If-None-Match` compares weakly; `*` matches any representation. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  const bare = etag.replace(/^W\//, '')
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag.replace(/^W\//, '') === bare)
}
