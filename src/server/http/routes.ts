import {
  benchRaw,
  clearFaults,
  expireUrl,
  getMediaDigest,
  getStats,
  putFaults,
  reset,
} from '../control/control.ts'
import { deleteFile, getFile, listFiles, patchFile } from '../files/files-api.ts'
import { createFileFromUrl } from '../files/ingest.ts'
import { serveByUrl, serveOriginal } from '../files/serve.ts'
import { completeUpload } from '../uploads/complete.ts'
import { createSession } from '../uploads/create-session.ts'
import { putPart } from '../uploads/put-part.ts'
import { singleUpload } from '../uploads/single.ts'
import type { RequestContext } from './context.ts'
import { HttpError, type Reply } from './reply.ts'

/** `param` is the path segment a pattern route captured (an id); '' for fixed routes. */
export type Handler = (ctx: RequestContext, param: string) => Promise<Reply>
type Methods = Readonly<Record<string, Handler>>

const PUBLIC: Readonly<Record<string, Methods>> = {
  '/uploads': { POST: createSession },
  '/store/resumable': { PUT: putPart, POST: completeUpload },
  '/store/single': { POST: singleUpload },
  '/files': { GET: listFiles, POST: createFileFromUrl },
}

const CONTROL: Readonly<Record<string, Methods>> = {
  '/__control/faults': { PUT: putFaults, DELETE: clearFaults },
  '/__control/stats': { GET: getStats },
  '/__control/reset': { POST: reset },
  '/__control/expire': { POST: expireUrl },
  '/__bench/raw': { PUT: benchRaw },
}

const PATTERNS: ReadonlyArray<{ pattern: RegExp; control: boolean; methods: Methods }> = [
  { pattern: /^\/__control\/media\/([^/]+)$/, control: true, methods: { GET: getMediaDigest } },
  {
    pattern: /^\/files\/([^/]+)$/,
    control: false,
    methods: { GET: getFile, PATCH: patchFile, DELETE: deleteFile },
  },
  {
    pattern: /^\/(med_[A-Za-z0-9_-]+)\/original$/,
    control: false,
    methods: { GET: serveOriginal, HEAD: serveOriginal },
  },
]

/** Every other path may be a file's URL (catalog/names.ts keeps files off the API's paths). */
const FILE_URLS: Methods = { GET: serveByUrl, HEAD: serveByUrl }

export interface Route {
  handler: Handler
  param: string
}

/** The upload URLs' paths: the only traffic fault rules apply to. */
export function isUploadPath(path: string): boolean {
  return path === '/store/resumable' || path === '/store/single'
}

export function isControlPath(path: string): boolean {
  return path.startsWith('/__control/') || path.startsWith('/__bench/')
}

function methodsFor(path: string, control: boolean): { methods: Methods; param: string } | null {
  const fixed = PUBLIC[path] ?? (control ? CONTROL[path] : undefined)
  if (fixed) return { methods: fixed, param: '' }
  for (const route of PATTERNS) {
    if (route.control && !control) continue
    const param = route.pattern.exec(path)?.[1]
    if (param) return { methods: route.methods, param }
  }
  return null
}

/** The handler for a request, or a 404 (no such path) / 405 (path without that method). */
export function findRoute(method: string, path: string, control: boolean): Route {
  const found = methodsFor(path, control)
  if (!found) {
    const serve = FILE_URLS[method]
    if (serve) return { handler: serve, param: '' }
    throw new HttpError(404, `Nothing is served at ${path}`)
  }
  const handler = found.methods[method]
  if (!handler) {
    const allowed = Object.keys(found.methods).join(', ')
    throw new HttpError(405, `${path} does not accept ${method}; it accepts ${allowed}`, {
      Allow: `${allowed}, OPTIONS`,
    })
  }
  return { handler, param: found.param }
}
