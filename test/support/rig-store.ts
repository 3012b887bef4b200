/**
 * The store behind an end-to-end rig's reference server: the disk in its data directory (the
 * default), or S3 on a Swift fixture of the rig's own, in a fresh bucket. The same tests run
 * on either; only the part size changes, since S3 needs every part but the last to be at least
 * 5 MiB.
 */
import { openS3Storage } from '../../src/server/storage/s3/storage.ts'
import type { Storage } from '../../src/server/storage/types.ts'
import { connectionTo, newBucket, rawClient } from './s3.ts'
import { startSwift } from './swift.ts'

export type StoreName = 'disk' | 's3'

/** S3's smallest part but the last (5 MiB): the part size of the rigs' S3 runs. */
export const S3_MIN_PART = 5 * 1024 * 1024

export interface RigStore {
  readonly name: StoreName
  /**
   * The `storage` option for a new server: undefined for the disk. A new S3 store each time,
   * since a closed server closes its store (a rig restarts its server mid-upload).
   */
  open(): Promise<Storage | undefined>
  stop(): Promise<void>
}

export async function startRigStore(name: StoreName): Promise<RigStore> {
  if (name === 'disk') return { name, open: async () => undefined, stop: async () => undefined }
  const swift = await startSwift()
  try {
    const raw = rawClient(swift)
    const bucket = await newBucket(raw).finally(() => raw.destroy())
    return {
      name,
      open: () => openS3Storage({ location: `s3://${bucket}/e2e/`, ...connectionTo(swift) }),
      stop: () => swift.stop(),
    }
  } catch (error) {
    await swift.stop()
    throw error
  }
}

/** Server options with `storage` only when the store is not the default disk. */
export const withStorage = <T extends object>(
  options: T,
  storage: Storage | undefined,
): T & { storage?: Storage } => (storage ? { ...options, storage } : options)
