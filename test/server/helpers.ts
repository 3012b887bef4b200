import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, beforeEach, expect } from 'vitest'
import {
  createUploadServer,
  type FaultRule,
  type UploadServer,
  type UploadServerOptions,
  type UploadStats,
} from '../../src/server/index.ts'

/** The API envelope, loosely typed for assertions. */
export interface Envelope<T = Record<string, unknown>> {
  meta: {
    id: string
    status: number
    type: string
    method: string
    path: string
    version: string
    total?: number
    page?: number
    limit?: number
    pages?: number
  }
  data?: T
  error?: { message: string }
  links?: Record<string, string>
}

export interface Part {
  index: number
  etag: string
}

export interface Answer<T = Record<string, unknown>> {
  response: Response
  status: number
  text: string
  /** The parsed body; null when it is not JSON (an injected raw body). */
  json: Envelope<T>
}

export interface Running {
  readonly server: UploadServer
  readonly origin: string
}

/** Starts a server on 127.0.0.1, port 0 (the defaults), and closes it in `afterAll`. */
export function testServer(options: UploadServerOptions = {}): Running {
  const running: { server?: UploadServer; origin?: string } = {}
  beforeAll(async () => {
    running.server = createUploadServer({ host: '127.0.0.1', port: 0, ...options })
    running.origin = await running.server.listen()
  })
  afterAll(() => running.server?.close())
  return {
    get server() {
      return running.server as UploadServer
    },
    get origin() {
      return running.origin as string
    },
  }
}

/** A request and its answer, the body read as text and parsed as an envelope when it is JSON. */
export async function send<T = Record<string, unknown>>(
  url: string,
  init: RequestInit = {},
): Promise<Answer<T>> {
  const response = await fetch(url, init)
  const text = await response.text()
  let json: Envelope<T>
  try {
    json = JSON.parse(text) as Envelope<T>
  } catch {
    json = null as unknown as Envelope<T>
  }
  return { response, status: response.status, text, json }
}

/** An API call with the server's key (or `auth`, null for none); `body` is sent as JSON. */
export function api<T = Record<string, unknown>>(
  running: Running,
  method: string,
  path: string,
  body?: unknown,
  auth: string | null = `Bearer ${running.server.apiKey}`,
): Promise<Answer<T>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (auth !== null) headers.Authorization = auth
  return send<T>(`${running.origin}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
}

/** `POST /uploads`; a resumable upload URL unless `body` says otherwise. */
export async function createSession(
  running: Running,
  body: Record<string, unknown> = { resumable: true },
): Promise<string> {
  const { json, status } = await api<{ url: string }>(running, 'POST', '/uploads', body)
  expect(status).toBe(200)
  return (json.data as { url: string }).url
}

/** `PUT` one part; `index` null sends no `X-Upload-Index`. */
export function putPart(
  url: string,
  index: number | string | null,
  body: Uint8Array | string = 'part',
  signal?: AbortSignal,
): Promise<Answer<Part>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' }
  if (index !== null) headers['X-Upload-Index'] = String(index)
  return send<Part>(url, {
    method: 'PUT',
    headers,
    body: typeof body === 'string' ? body : new Uint8Array(body),
    ...(signal ? { signal } : {}),
  })
}

export async function putPartOk(url: string, index: number, body: Uint8Array | string) {
  const answer = await putPart(url, index, body)
  expect(answer.status).toBe(200)
  return answer.json.data as Part
}

/** The completion `POST`; `body` is sent as is when it is a string. */
export function complete(url: string, body: unknown): Promise<Answer> {
  return send(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A whole resumable upload in one part; resolves with the media object. */
export async function upload(
  running: Running,
  bytes: Uint8Array | string,
  session: Record<string, unknown> = {},
): Promise<Record<string, unknown>> {
  const url = await createSession(running, { resumable: true, ...session })
  const part = await putPartOk(url, 0, bytes)
  const { status, json } = await complete(url, { parts: [part] })
  expect(status, json.error?.message).toBe(200)
  return json.data as Record<string, unknown>
}

/** sha256 and size of a media's stored bytes (needs `control: true`). */
export async function storedDigest(running: Running, mediaId: unknown) {
  const { json } = await send<{ sha256: string; filesize: number }>(
    `${running.origin}/__control/media/${String(mediaId)}`,
  )
  return json.data
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** A file of test/fixtures/media (see its README for what each one is). */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/media/${name}`, import.meta.url))
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A control API call (needs `control: true`). */
export function control(running: Running, method: string, path: string, body?: unknown) {
  return send(`${running.origin}/__control/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
}

export const setFaults = (running: Running, rules: FaultRule[]) =>
  control(running, 'PUT', 'faults', { rules })

export async function stats(running: Running): Promise<UploadStats> {
  return (await control(running, 'GET', 'stats')).json.data as unknown as UploadStats
}

/**
 * A control-enabled test server with the helpers bound to it, its state reset before each
 * test: what the control and fault specifications share.
 */
export function controlledServer() {
  const running = testServer({ control: true })
  const bound = {
    running,
    control: (method: string, path: string, body?: unknown) => control(running, method, path, body),
    setFaults: (rules: FaultRule[]) => setFaults(running, rules),
    stats: () => stats(running),
    newSession: () => createSession(running),
    put: (url: string, index: number, body?: Uint8Array | string, signal?: AbortSignal) =>
      putPart(url, index, body, signal),
  }
  beforeEach(async () => {
    await bound.control('POST', 'reset')
  })
  return bound
}
