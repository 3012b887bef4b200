import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Plugin, ViteDevServer } from 'vite'
import {
  type CreateUploadSessionOptions,
  createUploadSession,
  UploadSessionError,
} from '../backend/create-upload-session.ts'
import { JSON_LIMIT } from '../http/body.ts'
import type { UploadServer, UploadServerOptions } from '../types.ts'

/** What the session route asks for: everything `createUploadSession` takes but the secrets. */
export type SessionDefaults = Omit<CreateUploadSessionOptions, 'apiKey' | 'baseUrl' | 'fetch'>

export interface PartwiseServerPluginOptions extends UploadServerOptions {
  /**
   * Mounts a backend route on Vite's dev server, e.g. `'/api/upload-session'`: a POST calls
   * `createUploadSession` with the API key, on the server side, and answers
   * `{url, conditions, expires}`. This is the architecture an app should have: the key never
   * reaches the browser, only the one-time upload URL does.
   */
  sessionRoute?: string
  /**
   * What the session route asks for: a resumable session unless the browser's JSON body or
   * this says `resumable: false`. The body may choose `resumable` and `filename`; everything
   * set here wins, so conditions, folder and metadata stay the server's.
   */
  session?: SessionDefaults | ((req: IncomingMessage) => SessionDefaults | Promise<SessionDefaults>)
  /** Mounts `GET <filesRoute>?page&limit`, e.g. `'/api/files'`: `GET /files` with the key. */
  filesRoute?: string
}

const VIRTUAL_ID = 'virtual:partwise-server'
const RESOLVED_ID = `\0${VIRTUAL_ID}`

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** The browser's choices from the route's JSON body; anything else in it is ignored. */
async function browserChoices(req: IncomingMessage): Promise<SessionDefaults> {
  let text = ''
  for await (const chunk of req) {
    text += String(chunk)
    if (text.length > JSON_LIMIT) throw new UploadSessionError(413, 'The request body is too large')
  }
  if (text.trim() === '') return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw new UploadSessionError(400, 'The request body is not valid JSON')
  }
  const { resumable, filename } = (body ?? {}) as { resumable?: unknown; filename?: unknown }
  const choices: SessionDefaults = {}
  if (typeof resumable === 'boolean') choices.resumable = resumable
  if (typeof filename === 'string') choices.filename = filename
  return choices
}

/** Routes on Vite's connect stack, matched on the exact path (connect would match prefixes). */
function route(
  vite: ViteDevServer,
  path: string,
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): void {
  vite.middlewares.use((req, res, next) => {
    if ((req.url ?? '').split('?')[0] !== path) return next()
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof UploadSessionError && error.status > 0 ? error.status : 502
      const message = error instanceof Error ? error.message : String(error)
      if (!res.headersSent) sendJson(res, status, { error: { message } })
    })
  })
}

/**
 * A Vite plugin that runs the reference upload server alongside Vite's dev server (and
 * Storybook's, which is Vite's) and closes it with it. Client code reads its origin from
 * `import { url } from 'virtual:partwise-server'`; the API key is never in that module.
 * In a build there is no server, and `url` is an empty string.
 *
 * ```ts
 * // vite.config.ts
 * plugins: [partwiseServer({ sessionRoute: '/api/upload-session', filesRoute: '/api/files' })]
 * ```
 */
interface Running {
  server: UploadServer
  origin: string
}

/**
 * The reference server, imported when a dev server starts: `vite build` with this plugin in
 * the config needs none of the server's optional peer dependencies, and a dev server without
 * them says which to install.
 */
async function startServer(options: UploadServerOptions): Promise<Running> {
  let createUploadServer: typeof import('../server.ts').createUploadServer
  try {
    ;({ createUploadServer } = await import('../server.ts'))
  } catch (error) {
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(error))
    if (!missing) throw error
    throw new Error(
      `partwiseServer() needs ${missing[1]}, one of the reference server's optional peer dependencies. Install them with:\n  npm install better-sqlite3 busboy file-type image-size mp4box music-metadata`,
      { cause: error },
    )
  }
  const server = createUploadServer(options)
  return { server, origin: await server.listen() }
}

export function partwiseServer(options: PartwiseServerPluginOptions = {}): Plugin {
  const { sessionRoute, filesRoute, session, ...serverOptions } = options
  /** One reference server per plugin instance, however many dev servers use the plugin. */
  let started: Promise<Running> | null = null
  const users = new Set<ViteDevServer>()

  function running(): Promise<Running> {
    if (!started) throw new UploadSessionError(503, 'The upload server is not running')
    return started
  }

  /**
   * Vitest's browser mode and Storybook run more than one dev server on one config, and a
   * restart closes one server before the next starts: the reference server lives while any
   * dev server that configured it is open.
   */
  async function release(vite: ViteDevServer): Promise<void> {
    if (!users.delete(vite) || users.size > 0) return
    const closing = started
    started = null
    await (await closing?.catch(() => null))?.server.close()
  }

  async function createSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: { message: 'Use POST' } })
    const { server, origin } = await running()
    const chosen = await browserChoices(req)
    const defaults = typeof session === 'function' ? await session(req) : (session ?? {})
    const result = await createUploadSession({
      // The client's default mode: a browser that uploads in one request says resumable: false.
      resumable: true,
      ...chosen,
      ...defaults,
      apiKey: server.apiKey,
      baseUrl: origin,
    })
    sendJson(res, 200, {
      url: result.url,
      ...(result.conditions ? { conditions: result.conditions } : {}),
      expires: result.expires ?? null,
    })
  }

  async function listFiles(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET') return sendJson(res, 405, { error: { message: 'Use GET' } })
    const { server, origin } = await running()
    const query = new URL(req.url ?? '/', 'http://vite.invalid').searchParams
    const forwarded = new URLSearchParams()
    for (const name of ['page', 'limit']) {
      const value = query.get(name)
      if (value !== null) forwarded.set(name, value)
    }
    const response = await fetch(`${origin}/files?${forwarded}`, {
      headers: { Authorization: `Bearer ${server.apiKey}` },
    })
    sendJson(res, response.status, await response.json())
  }

  return {
    name: 'partwise-server',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined
    },
    async load(id) {
      if (id !== RESOLVED_ID) return undefined
      const url = started ? (await started).origin : ''
      return `export const url = ${JSON.stringify(url)}\nexport default { url }\n`
    },
    async configureServer(vite) {
      users.add(vite)
      started ??= startServer({ host: '127.0.0.1', port: 0, ...serverOptions })
      // Closed after Vite, so requests Vite is still finishing can reach it. Wrapping close()
      // rather than listening on httpServer also covers middleware mode, which has none.
      const closeVite = vite.close.bind(vite)
      vite.close = async () => {
        await closeVite()
        await release(vite)
      }
      const { origin } = await started
      if (sessionRoute) route(vite, sessionRoute, createSession)
      if (filesRoute) route(vite, filesRoute, listFiles)
      vite.config.logger.info(`  partwise reference server: ${origin}`)
    },
  }
}
