import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3'
import { type S3Connection, toStorageError } from './client.ts'

/** A multipart upload the store holds, as ListMultipartUploads names it. */
export interface PendingUpload {
  /** The key the server chose (the store's prefix taken off), as `beginUpload` was given. */
  key: string
  uploadId: string
  initiated: Date | undefined
}

/** Every multipart upload under `prefix`, page after page. */
export async function listPendingUploads(
  s3: S3Connection,
  bucket: string,
  prefix: string,
): Promise<PendingUpload[]> {
  const found: PendingUpload[] = []
  let KeyMarker: string | undefined
  let UploadIdMarker: string | undefined
  try {
    for (;;) {
      const page = await s3.client.send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          ...(prefix ? { Prefix: prefix } : {}),
          ...(KeyMarker ? { KeyMarker } : {}),
          ...(UploadIdMarker ? { UploadIdMarker } : {}),
        }),
      )
      for (const upload of page.Uploads ?? []) {
        if (upload.Key?.startsWith(prefix) && upload.UploadId) {
          found.push({
            key: upload.Key.slice(prefix.length),
            uploadId: upload.UploadId,
            initiated: upload.Initiated,
          })
        }
      }
      if (!page.IsTruncated) return found
      KeyMarker = page.NextKeyMarker
      UploadIdMarker = page.NextUploadIdMarker
    }
  } catch (error) {
    throw toStorageError(error, 'listing unfinished uploads')
  }
}
