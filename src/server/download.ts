import type { RequestContext } from './context.ts'
import { HttpError, type Reply } from './http.ts'
import { mediaStream, readMediaRecord } from './media.ts'

/**
 * `GET /<media id>/original`: the source URL the media object names, so the demo can show
 * what it uploaded. Streams the parts in order; nothing was ever joined on disk.
 */
export async function getOriginal(ctx: RequestContext, id: string): Promise<Reply> {
  const record = await readMediaRecord(ctx.app.options.dataDir, id)
  if (!record) throw new HttpError(404, `No media has the id ${id}`)
  return {
    kind: 'stream',
    status: 200,
    stream: mediaStream(ctx.app.options.dataDir, record),
    headers: {
      'Content-Type': record.media.type,
      'Content-Length': String(record.media.filesize),
    },
  }
}
