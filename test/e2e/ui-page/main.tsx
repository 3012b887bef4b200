/**
 * `<Upload multiple />` for end-to-end tests driven by Playwright. The query string stands in for
 * the app: `server` and `key` (the `url` function plays the app's backend and calls
 * `POST {server}/uploads`), and the props: `chunk`, `concurrency`, `parallel`, `stall`
 * (stallTimeoutMs), `retryBase` (retryBaseDelayMs), `retryMax`, `attempts` (maxAttempts),
 * `conditions` (raw JSON, parsed here and passed as is). `session` picks a misbehaving backend:
 * `throw` (the url function throws, its message containing HTML), `nourl` (a session answer
 * without url). Each file's ending is mirrored on `window.ui` for the test to read.
 */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import type { Conditions } from '../../../src/core/index.ts'
import { type FileResult, Upload, type UploadProps } from '../../../src/react/index.ts'

interface UiFileResult {
  name: string
  status: 'success' | 'error' | 'cancelled'
  mediaId: string | null
  errorCode: string | null
  errorMessage: string | null
}

declare global {
  interface Window {
    ui: { results: UiFileResult[]; completeCalls: number; sessions: number; uploadUrls: string[] }
    __xss?: number
  }
}

const params = new URLSearchParams(location.search)
const server = params.get('server') ?? ''
const apiKey = params.get('key') ?? ''
const number = (name: string): number | undefined => {
  const value = params.get(name)
  return value === null ? undefined : Number(value)
}
window.ui = { results: [], completeCalls: 0, sessions: 0, uploadUrls: [] }

const mode = params.get('session') ?? 'ok'

async function getUploadUrl(file: Blob): Promise<string | { url: string }> {
  window.ui.sessions++
  if (mode === 'throw') {
    throw new Error('Backend said <b id="injected">no</b><img src=x onerror="window.__xss=1">')
  }
  const response = await fetch(`${server}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ resumable: true, filename: file instanceof File ? file.name : 'blob' }),
  })
  const body = (await response.json()) as { data?: { url: string }; error?: { message: string } }
  if (!body.data) throw new Error(body.error?.message ?? `HTTP ${response.status}`)
  window.ui.uploadUrls.push(body.data.url)
  // A backend that drops the url: the rest of the session answer is there, the url is not.
  if (mode === 'nourl') return { ...body.data, url: undefined } as unknown as { url: string }
  return body.data
}

const rawConditions = params.get('conditions')
const conditions =
  rawConditions === null ? undefined : (JSON.parse(rawConditions) as unknown as Conditions)

const onFileResult = (result: FileResult): void => {
  window.ui.results.push({
    name: result.file instanceof File ? result.file.name : 'blob',
    status: result.status,
    mediaId: result.media?.id ?? null,
    errorCode: result.error?.code ?? null,
    errorMessage: result.error?.message ?? null,
  })
}

const props: UploadProps = {
  url: getUploadUrl,
  endpoint: server,
  multiple: true,
  chunkSize: number('chunk') ?? 65_536,
  concurrency: number('concurrency') ?? 3,
  parallelFiles: number('parallel') ?? 3,
  stallTimeoutMs: number('stall') ?? 30_000,
  retryBaseDelayMs: number('retryBase') ?? 100,
  retryMaxDelayMs: number('retryMax') ?? 2_000,
  maxAttempts: number('attempts') ?? 6,
  conditions,
  onFileResult,
  onComplete: () => {
    window.ui.completeCalls++
  },
}

const root = document.getElementById('root')
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Upload {...props} />
    </StrictMode>,
  )
}
