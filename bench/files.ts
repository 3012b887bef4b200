/**
 * The files uploaded: generated once into a cache directory, the same bytes on every machine
 * (AES-128-CTR over zeros with a fixed key: fast, deterministic, incompressible), each with a
 * sidecar holding its sha256 so a run never re-hashes the source.
 */
import { createCipheriv, createHash } from 'node:crypto'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BLOCK = 16 * 1024 * 1024

export interface BenchFile {
  path: string
  size: number
  sha256: string
}

export function cacheDir(): string {
  return process.env.PARTWISE_BENCH_CACHE ?? join(tmpdir(), 'partwise-bench-cache')
}

async function existing(path: string, size: number): Promise<BenchFile | null> {
  try {
    const [info, sha256] = await Promise.all([stat(path), readFile(`${path}.sha256`, 'utf8')])
    return info.size === size && /^[0-9a-f]{64}$/.test(sha256) ? { path, size, sha256 } : null
  } catch {
    return null
  }
}

/** The file of `size` bytes, generated if the cache does not hold it yet. */
export async function benchFile(size: number): Promise<BenchFile> {
  const dir = cacheDir()
  await mkdir(dir, { recursive: true })
  const path = join(dir, `bench-${size}.bin`)
  const cached = await existing(path, size)
  if (cached) return cached

  console.log(`Generating ${path} (${(size / 2 ** 20).toFixed(0)} MiB, once)…`)
  const cipher = createCipheriv('aes-128-ctr', Buffer.alloc(16, 7), Buffer.alloc(16, 0))
  const hash = createHash('sha256')
  const zeros = Buffer.alloc(BLOCK)
  // Written under a temporary name: an interrupted generation never passes for a finished one.
  const temp = `${path}.${process.pid}.tmp`
  const out = createWriteStream(temp)
  for (let written = 0; written < size; written += BLOCK) {
    const bytes = cipher.update(zeros.subarray(0, Math.min(BLOCK, size - written)))
    hash.update(bytes)
    if (!out.write(bytes)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  const sha256 = hash.digest('hex')
  await rename(temp, path)
  await writeFile(`${path}.sha256`, sha256)
  return { path, size, sha256 }
}
