import { UploadError } from '../errors.ts'
import type { UploadSession } from '../options.ts'
import type { Upload } from '../types.ts'
import { createUpload } from '../upload.ts'
import { readCopy } from './copy.ts'
import { allEntries, type KeptEntry } from './db.ts'
import { heldLocks } from './locks.ts'
import { type Continued, type Identity, readHandle } from './open.ts'
import { type FoundRecord, forgetKept, removeRecord, sweep } from './records.ts'
import type { ContinueOptions, FindInterruptedOptions, InterruptedUpload } from './types.ts'

/** Bytes the record lists as acknowledged: whole parts, the last one shorter. */
const recordedBytes = ({ size, record }: FoundRecord): number =>
  Object.keys(record.parts).reduce(
    (sum, i) => sum + Math.max(0, Math.min(record.chunkSize, size - +i * record.chunkSize)),
    0,
  )

const elsewhereError = (name: string): UploadError =>
  new UploadError('continuing_elsewhere', `${name} is being uploaded in another tab`)

/** Whether another page holds the record's lock right now. */
const lockedElsewhere = async (key: string): Promise<boolean> => {
  const { mine, all } = await heldLocks()
  const lock = `partwise:${key}`
  return all.has(lock) && !mine.has(lock)
}

function item(found: FoundRecord, entry: KeptEntry | undefined, elsewhere: boolean) {
  const { key, name, size, type, lastModified, endpoint, record } = found
  const expected: Identity = { name, size, type, lastModified }
  const bytesUploaded = recordedBytes(found)
  const source: InterruptedUpload['source'] =
    entry?.copy && entry.copied ? 'copy' : entry?.handle ? 'handle' : 'pick'

  /** What the core reads through `getFile()`: see open.ts. */
  const continued = (picked: Blob | undefined): Continued => {
    const from = picked ? 'pick' : source
    return {
      kind: 'file',
      name,
      expected,
      from,
      async getFile() {
        if (from === 'pick') return picked as File
        if (from === 'handle') return readHandle(entry?.handle as FileSystemFileHandle)
        const copy = entry?.copy && (await readCopy(entry.copy))
        if (!copy) {
          throw new UploadError(
            'expired',
            `The private copy of ${name} is gone: pick the file again to continue`,
          )
        }
        // The copy under the file's own identity: the record's key is the file's.
        return new File([copy], name, { type, lastModified })
      },
    }
  }

  const interrupted: InterruptedUpload = {
    key,
    name,
    size,
    type,
    lastModified,
    endpoint,
    bytesUploaded,
    progress: size ? bytesUploaded / size : 0,
    source,
    elsewhere,
    expires: record.expires,
    continue(options: ContinueOptions = {}): Upload {
      const { file, url, ...rest } = options
      if (source === 'pick' && !file) {
        // Nothing to read: the upload fails at once, with what to do.
        const missing: Continued = {
          ...continued(undefined),
          getFile: () =>
            Promise.reject(
              new UploadError('wrong_file', `Pick ${name} again to continue its upload`),
            ),
        }
        return started(createUpload(missing as unknown as FileSystemFileHandle, settings(rest)))
      }
      return started(
        createUpload(continued(file) as unknown as FileSystemFileHandle, settings(rest)),
      )

      function settings(given: typeof rest) {
        return {
          ...given,
          endpoint,
          // Called only when the record cannot be used: held by another tab, or its URL dead.
          url: async (blob: Blob): Promise<UploadSession> => {
            if (await lockedElsewhere(key)) throw elsewhereError(name)
            if (!url) {
              throw new UploadError(
                'expired',
                `The upload of ${name} can no longer be continued: pick the file to start over`,
              )
            }
            return typeof url === 'string' ? url : url(blob)
          },
        }
      }
    },
    async discard() {
      if (await lockedElsewhere(key)) throw elsewhereError(name)
      removeRecord(key)
      await forgetKept(key, entry)
    },
  }
  return interrupted
}

/** `start()` called: `continue()` returns the upload already going, its promise the same. */
const started = (upload: Upload): Upload => {
  void upload.start()
  return upload
}

/** See keep.ts, which exports it from `partwise`. */
export async function findInterruptedUploads(
  options: FindInterruptedOptions = {},
): Promise<InterruptedUpload[]> {
  const locks = await heldLocks()
  const records = await sweep(Date.now(), locks.all)
  const entries = new Map<string, KeptEntry>()
  try {
    for (const entry of await allEntries()) entries.set(entry.key, entry)
  } catch {}
  return (
    records
      // Uploading in this page is not interrupted.
      .filter((r) => !locks.mine.has(`partwise:${r.key}`))
      .filter((r) => options.endpoint === undefined || r.endpoint === options.endpoint)
      .sort((a, b) => b.record.expires - a.record.expires)
      .map((r) => item(r, entries.get(r.key), locks.all.has(`partwise:${r.key}`)))
  )
}
