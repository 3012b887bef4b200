import type { Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { type S3Connection, toStorageError } from './client.ts'

/**
 * Pieces of a body of unknown length (a simple-mode form field, a fetched URL without
 * Content-Length). Above S3's 5 MiB minimum; one piece is held at a time, so memory stays flat
 * in the file's size: 8 MiB × 10,000 parts covers 78 GiB.
 */
const PIECE = 8 * 1024 * 1024

/**
 * Stores `body` at `key` without knowing its length first: one PutObject when it all fits in
 * one piece, else a multipart upload of pieces, sent one after the other while the body waits
 * (backpressure). A failure aborts the multipart upload. Resolves with the bytes stored.
 */
export async function putUnknownLength(
  s3: S3Connection,
  bucket: string,
  key: string,
  body: Readable,
): Promise<number> {
  let uploadId: string | undefined
  const etags: string[] = []
  let held: Buffer[] = []
  let heldBytes = 0
  let total = 0
  // Store errors leave sendPiece already mapped, so the body's own errors stay told apart.
  const sendPiece = (): Promise<void> =>
    sendPieceRaw().catch((error: unknown) => {
      throw toStorageError(error, 'storing the file')
    })
  const sendPieceRaw = async (): Promise<void> => {
    const piece = Buffer.concat(held, heldBytes)
    held = []
    heldBytes = 0
    if (uploadId === undefined) {
      const created = await s3.client.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }),
      )
      if (!created.UploadId) throw new Error('CreateMultipartUpload answered no UploadId')
      uploadId = created.UploadId
    }
    const { ETag } = await s3.client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        PartNumber: etags.length + 1,
        Body: piece,
        ContentLength: piece.length,
      }),
    )
    if (!ETag) throw new Error('UploadPart answered no ETag')
    etags.push(ETag)
  }
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer
      held.push(bytes)
      heldBytes += bytes.length
      total += bytes.length
      if (heldBytes >= PIECE) await sendPiece()
    }
  } catch (error) {
    // The body failed (the client went away: its own error) or the store did (mapped above).
    await abortQuietly(s3, bucket, key, uploadId)
    throw error
  }
  try {
    if (uploadId === undefined) {
      const whole = Buffer.concat(held, heldBytes)
      await s3.client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: whole,
          ContentLength: whole.length,
        }),
      )
      return total
    }
    if (heldBytes > 0) await sendPiece()
    await s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ PartNumber: i + 1, ETag })) },
      }),
    )
    return total
  } catch (error) {
    await abortQuietly(s3, bucket, key, uploadId)
    throw toStorageError(error, 'storing the file')
  }
}

/** Best effort: a store that is down now leaves the upload to the sweeper. */
async function abortQuietly(
  s3: S3Connection,
  bucket: string,
  key: string,
  uploadId: string | undefined,
): Promise<void> {
  if (uploadId === undefined) return
  await s3.client
    .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
    .catch(() => undefined)
}
