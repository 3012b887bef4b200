/**
 * A loopback server for @mux/upchunk, which speaks the Google Cloud Storage resumable style:
 * PUT one chunk after another to the same URL with `Content-Range: bytes a-b/total`. Each body
 * streams to disk at its offset, as the reference server streams a part (no hashing, no copy),
 * and the answer is GCS's: 308 with `Range` until the last byte, then 200.
 */
import { createWriteStream } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

const RANGE = /^bytes (\d+)-(\d+)\/(\d+)$/
const UPLOAD_PATH = /^\/upchunk\/([a-z0-9]+)$/

export interface UpChunkServer {
  origin: string
  /** A new upload URL, backed by an empty file (what Mux's "create direct upload" does). */
  create(): Promise<string>
  /** Where the bytes sent to `url` are. */
  pathOf(url: string): string
  close(): Promise<void>
}

function cors(res: ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Allow-Methods', 'PUT, OPTIONS')
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Content-Range')
  res.setHeader('Access-Control-Expose-Headers', 'Range')
  res.setHeader('Access-Control-Max-Age', '600')
}

async function receive(dir: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const id = UPLOAD_PATH.exec(req.url ?? '')?.[1]
  const range = RANGE.exec(req.headers['content-range'] ?? '')
  if (req.method !== 'PUT' || !id || !range) {
    res.writeHead(400).end('PUT /upchunk/<id> with Content-Range: bytes a-b/total')
    return
  }
  const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])]
  // 'r+': the file exists since create(); each chunk lands at its own offset.
  await pipeline(req, createWriteStream(join(dir, id), { flags: 'r+', start }))
  if (end + 1 < total) {
    res.writeHead(308, { Range: `bytes=0-${end}` }).end()
  } else {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"filesize":${total}}`)
  }
}

export async function startUpChunkServer(dir: string): Promise<UpChunkServer> {
  await mkdir(dir, { recursive: true })
  let next = 0
  const server = createServer((req, res) => {
    cors(res)
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end()
      return
    }
    receive(dir, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    async create() {
      const id = `u${Date.now().toString(36)}${(next++).toString(36)}`
      await writeFile(join(dir, id), '')
      return `${origin}/upchunk/${id}`
    },
    pathOf(url) {
      const id = UPLOAD_PATH.exec(new URL(url).pathname)?.[1]
      if (!id) throw new Error(`Not an UpChunk upload URL: ${url}`)
      return join(dir, id)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }).then(() => rm(dir, { recursive: true, force: true })),
  }
}
