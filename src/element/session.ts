import type { UploadSession } from '../core/index.ts'
import type { QueueUrl } from '../ui/queue-types.ts'

/**
 * The `session` attribute, for plain HTML: a `url` function that POSTs the file's name, size,
 * type, and metadata when `beforeUpload` gave some, as JSON to the app's own route, which
 * answers `{ url, conditions? }`. The route holds the
 * API key; the page only ever sees the upload URL.
 */
export function sessionUrl(route: string): QueueUrl {
  return async (file, { metadata }) => {
    const { name = '', size, type } = file as Partial<File> & Blob
    const response = await fetch(route, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      // Without metadata, the body is the documented `{ filename, size, type }` alone.
      body: JSON.stringify({
        filename: name,
        size,
        type,
        metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
      }),
      credentials: 'same-origin',
    })
    if (!response.ok) throw new Error(`The upload session route answered ${response.status}`)
    return (await response.json()) as UploadSession
  }
}
