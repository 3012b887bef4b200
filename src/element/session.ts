import type { UploadSession, UrlOption } from '../core/index.ts'

/**
 * The `session` attribute, for plain HTML: a `url` function that POSTs the file's name, size and
 * type as JSON to the app's own route, which answers `{ url, conditions? }`. The route holds the
 * API key; the page only ever sees the upload URL.
 */
export function sessionUrl(route: string): UrlOption {
  return async (file) => {
    const { name = '', size, type } = file as Partial<File> & Blob
    const response = await fetch(route, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ filename: name, size, type }),
      credentials: 'same-origin',
    })
    if (!response.ok) throw new Error(`The upload session route answered ${response.status}`)
    return (await response.json()) as UploadSession
  }
}
