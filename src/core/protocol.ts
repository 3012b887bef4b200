import { UploadError } from './errors.ts'
import type { TransportResponse } from './transport.ts'
import type { Media } from './types.ts'

/**
 * What a 2xx reply carries, read on the happy path: a part's etag (docs/PROTOCOL.md §2b: the
 * receipt names the part sent and has an etag), or with `index` null the media object (§2d: an
 * id, and no `filesize` other than the file's, which would be a file stored wrong). Undefined
 * when anything is off; why, in words, is the lazy chunk's `brokenReply`, loaded only then.
 */
export function readReply(
  response: TransportResponse,
  index: number | null,
  size: number,
): string | Media | undefined {
  // Anything but an object (null, an array, a string) has no index, etag or id: no need to ask.
  let data: Record<string, unknown> | undefined
  try {
    data = JSON.parse(response.body).data
  } catch {}
  if (index !== null) {
    return data?.index === index && typeof data.etag === 'string' && data.etag
      ? data.etag
      : undefined
  }
  if (
    typeof data?.id === 'string' &&
    (typeof data.filesize !== 'number' || data.filesize === size)
  ) {
    return data as Media
  }
}

/** The completion was sent and its answer lost: the server may have stored the file. */
export const outcomeUnknown = (): UploadError =>
  new UploadError('outcome_unknown', 'The upload may have completed: its answer was lost')
