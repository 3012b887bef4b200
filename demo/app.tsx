import { useCallback, useState } from 'react'
import { Upload } from '../src/react/index.ts'
import { useInvalidateOnUpload } from '../src/react/query.ts'
import { FileList } from './file-list.tsx'
import { NetworkPanel } from './network-panel.tsx'
import { PRESETS, type PresetName } from './presets.ts'

/**
 * The session comes from this app's own backend route (mounted on the dev server by the
 * partwiseServer Vite plugin), which holds the API key: the browser only sees the upload URL.
 */
async function requestSession(preset: PresetName, file: Blob) {
  const response = await fetch(`/api/upload-session?preset=${preset}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resumable: true, filename: (file as File).name }),
  })
  const body = (await response.json()) as { url?: string; error?: { message: string } }
  if (!response.ok || !body.url) throw new Error(body.error?.message ?? `HTTP ${response.status}`)
  return body as { url: string }
}

export function App() {
  const [preset, setPreset] = useState<PresetName>('any')
  const invalidate = useInvalidateOnUpload([['files']])
  const url = useCallback((file: Blob) => requestSession(preset, file), [preset])
  return (
    <main>
      <h1>partwise</h1>
      <p>
        Drop files, pick them, or paste them. Parts go to the reference server on this machine; try
        the network panel to watch them retry, then reload mid-upload: the upload is listed above
        the drop zone, and Continue goes on from the parts already sent (where the browser kept no
        access to the file, pick it again).{' '}
        <a href="./element.html">The same control without React</a>.
      </p>
      <fieldset className="presets">
        <legend>Upload conditions</legend>
        {Object.entries(PRESETS).map(([name, { label }]) => (
          <label key={name}>
            <input
              type="radio"
              name="preset"
              value={name}
              checked={preset === name}
              onChange={() => setPreset(name)}
            />
            {label}
          </label>
        ))}
      </fieldset>
      {/* An endpoint per preset: uploads keep resume records, so a reload lists them. */}
      <Upload
        url={url}
        conditions={PRESETS[preset]?.conditions}
        endpoint={`demo-${preset}`}
        multiple
        onSuccess={invalidate}
      />
      <NetworkPanel />
      <FileList />
    </main>
  )
}
