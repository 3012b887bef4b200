import { rename, rm, writeFile } from 'node:fs/promises'
import { randomId } from './ids.ts'

/**
 * Writes `data` so that a reader (or a restarted server) sees either the old file or the new
 * one, never a half-written one: write a sibling temp file, then rename over the target,
 * which POSIX makes atomic within a directory.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${randomId('', 6)}.tmp`
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value))
}
