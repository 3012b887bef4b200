/**
 * `<Upload />` with its defaults, for the renders-a-second figure: the harness sets the URL,
 * picks the file into the component's own input, and reads how many commits React made
 * between the pick and the success.
 */
import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { Upload } from '../../src/react/index.ts'

export interface ReactOutcome {
  ok: boolean
  error: string | null
  pickedAt: number
  endedAt: number
  /** React commits from the pick to the success callback. */
  commits: number
  mediaId: string | null
}

declare global {
  interface Window {
    __benchCommits: number
    __benchReact: { arm(url: string): Promise<void>; done(): Promise<ReactOutcome> }
  }
}

let showUrl: (url: string) => void = () => undefined
let picked = { at: 0, commits: 0 }
let settle: (outcome: ReactOutcome) => void = () => undefined
const outcome = new Promise<ReactOutcome>((resolve) => {
  settle = resolve
})

const end = (ok: boolean, error: string | null, mediaId: string | null): void =>
  settle({
    ok,
    error,
    mediaId,
    pickedAt: picked.at,
    endedAt: performance.timeOrigin + performance.now(),
    commits: window.__benchCommits - picked.commits,
  })

// Capture phase: noted before React's own handler starts the upload.
document.addEventListener(
  'change',
  () => {
    picked = { at: performance.timeOrigin + performance.now(), commits: window.__benchCommits }
  },
  true,
)

function App() {
  const [url, setUrl] = useState<string | null>(null)
  showUrl = setUrl
  if (url === null) return null
  return (
    <Upload
      url={url}
      onSuccess={(media) => end(true, null, media.id)}
      onError={(error) => end(false, error.message, null)}
    />
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />)

window.__benchReact = {
  async arm(url) {
    showUrl(url)
    // Rendered and committed: the input is in the page.
    await new Promise((resolve) => setTimeout(resolve, 100))
  },
  done: () => outcome,
}
