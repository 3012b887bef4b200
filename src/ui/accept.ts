/**
 * The `accept` attribute's rules, checked in JavaScript as well: a drop or a paste bypasses the
 * picker's filter. Tokens are `.ext`, `type/*` or `type/subtype`, case-insensitive
 * (https://html.spec.whatwg.org/multipage/input.html#attr-input-accept).
 */
export function parseAccept(accept: string | undefined): string[] {
  if (!accept) return []
  return accept
    .split(',')
    .map((token) => token.trim().toLowerCase())
    .filter(Boolean)
}

function matchesType(token: string, type: string): boolean {
  if (token.endsWith('/*')) return type.startsWith(token.slice(0, -1))
  return token === type
}

/** Whether a file passes the tokens; no tokens accept everything. */
export function acceptsFile(tokens: readonly string[], file: Blob): boolean {
  if (tokens.length === 0) return true
  const name = ((file as Partial<File>).name ?? '').toLowerCase()
  const type = file.type.toLowerCase()
  return tokens.some((t) => (t.startsWith('.') ? name.endsWith(t) : matchesType(t, type)))
}

/**
 * During a drag only MIME types are known, not names: a type is refused only when it is known
 * and every token is a MIME rule that it fails. With an extension token the answer waits for
 * the drop.
 */
export function refusesDraggedType(tokens: readonly string[], type: string): boolean {
  if (tokens.length === 0 || type === '' || tokens.some((t) => t.startsWith('.'))) return false
  return !tokens.some((t) => matchesType(t, type.toLowerCase()))
}

const KINDS: Record<string, string> = {
  'image/*': 'Images',
  'video/*': 'Videos',
  'audio/*': 'Audio files',
  'text/*': 'Text files',
}

/**
 * The `accept` tokens as a person says them: "Images or PDF" for `image/*,.pdf`. A `type/*` is
 * the kind's name, an extension its name in capitals; a MIME type stays as written.
 */
export function acceptWords(accept: string | undefined): string {
  const words = [
    ...new Set(
      parseAccept(accept).map(
        (token) => KINDS[token] ?? (token[0] === '.' ? token.slice(1).toUpperCase() : token),
      ),
    ),
  ]
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`
}
