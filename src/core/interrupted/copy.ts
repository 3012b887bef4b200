/**
 * Private copies (`keepCopy`) in the Origin Private File System, in a folder of their own. A
 * copy is streamed (never the whole file in memory), and anything that goes wrong (no such file
 * system, a full disk, a refused quota, a file over `maxBytes`) means no copy, never a failure.
 * https://developer.mozilla.org/docs/Web/API/File_System_API/Origin_private_file_system
 */
const FOLDER = 'partwise'

const folder = async (): Promise<FileSystemDirectoryHandle | null> => {
  try {
    const root = await navigator.storage.getDirectory()
    return await root.getDirectoryHandle(FOLDER, { create: true })
  } catch {
    // No origin private file system (an old browser, some private modes).
    return null
  }
}

/**
 * Copies `file` into the private file `name`; resolves with whether it did (a partial file is
 * removed). `maxBytes`: larger files are not copied.
 */
export async function makeCopy(
  file: Blob,
  name: string,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  if (file.size > maxBytes) return false
  const storage = globalThis.navigator?.storage
  if (!storage?.getDirectory) return false
  // Asked, never awaited for: most first visits are refused, and the copy is made either way
  // (Firefox may ask the user, which must not hold the upload).
  storage.persist?.().catch(() => false)
  try {
    const { quota, usage = 0 } = await storage.estimate()
    if (quota !== undefined && quota - usage < file.size) return false
  } catch {}
  const dir = await folder()
  if (!dir) return false
  try {
    const handle = await dir.getFileHandle(name, { create: true })
    // Safari without createWritable (its writes go through a worker's sync access handle):
    // no copy there.
    const writable = await handle.createWritable()
    await file.stream().pipeTo(writable)
    return true
  } catch {
    await deleteCopy(name)
    return false
  }
}

/** The copy's bytes, or null when it is gone. */
export async function readCopy(name: string): Promise<File | null> {
  try {
    return (await (await (await folder())?.getFileHandle(name))?.getFile()) ?? null
  } catch {
    return null
  }
}

export async function deleteCopy(name: string): Promise<void> {
  try {
    await (await folder())?.removeEntry(name)
  } catch {}
}

/** The names of every private copy. */
export async function listCopies(): Promise<string[]> {
  const dir = await folder()
  const names: string[] = []
  if (!dir) return names
  try {
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) {
      names.push(name)
    }
  } catch {}
  return names
}
