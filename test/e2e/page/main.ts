/**
 * A bare page over the core for end-to-end tests driven by Playwright: pick a file, it uploads
 * with resume on. The test passes the server and its key in the query string, standing in for
 * the app's backend; the snapshot is mirrored on `window.partwise` for the test to read.
 */
import { createUpload, type UploadSnapshot } from '../../../src/core/index.ts'

declare global {
  interface Window {
    partwise: { snapshot: UploadSnapshot | null; sessions: number; error: string | null }
  }
}

const params = new URLSearchParams(location.search)
const server = params.get('server') ?? ''
const apiKey = params.get('key') ?? ''
const chunkSize = Number(params.get('chunk') ?? 65536)
window.partwise = { snapshot: null, sessions: 0, error: null }

async function createSession(): Promise<string> {
  window.partwise.sessions++
  const response = await fetch(`${server}/uploads`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ resumable: true }),
  })
  const { data } = (await response.json()) as { data: { url: string } }
  return data.url
}

const input = document.querySelector<HTMLInputElement>('#file')
const status = document.querySelector<HTMLOutputElement>('#status')
input?.addEventListener('change', () => {
  const file = input.files?.[0]
  if (!file) return
  const upload = createUpload(file, {
    url: createSession,
    endpoint: server,
    chunkSize,
    concurrency: 2,
  })
  upload.subscribe(() => {
    window.partwise.snapshot = upload.getSnapshot()
    if (status) status.textContent = upload.getSnapshot().status
  })
  upload.start().catch((error: Error) => {
    window.partwise.error = error.message
  })
})
