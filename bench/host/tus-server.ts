/**
 * The tus peer's server: @tus/server with @tus/file-store, as its documentation sets it up.
 * FileStore writes each PATCH body at its offset in one file per upload. It offers no
 * `concatenation` extension, so tus-js-client's `parallelUploads` cannot be used against it.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { FileStore } from '@tus/file-store'
import { Server } from '@tus/server'

export interface TusServer {
  /** The creation endpoint tus-js-client is given. */
  endpoint: string
  /** Where the bytes of the upload at `uploadUrl` are. */
  pathOf(uploadUrl: string): string
  close(): Promise<void>
}

export async function startTusServer(dir: string): Promise<TusServer> {
  const tus = new Server({ path: '/files', datastore: new FileStore({ directory: dir }) })
  const server = createServer((req, res) => {
    void tus.handle(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    endpoint: `${origin}/files`,
    pathOf(uploadUrl) {
      const id = new URL(uploadUrl).pathname.split('/').pop() ?? ''
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`Not a tus upload URL: ${uploadUrl}`)
      return join(dir, id)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
