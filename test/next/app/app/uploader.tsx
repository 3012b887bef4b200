'use client'

import { UploadError, type UploadSession } from 'partwise'
import { Upload } from 'partwise/react'
import { useState } from 'react'

/** Asks this app's route for an upload session (README, Next.js), for the file's name. */
async function getUploadUrl(file: Blob): Promise<UploadSession> {
  const response = await fetch('/api/upload-session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: file instanceof File ? file.name : null }),
  })
  if (!response.ok) throw new Error(`The session route answered ${response.status}`)
  return (await response.json()) as UploadSession
}

export function Uploader() {
  const [media, setMedia] = useState<string | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  return (
    <>
      <Upload
        url={getUploadUrl}
        endpoint="/api/upload-session"
        onSuccess={(uploaded) => setMedia(uploaded.id)}
        onError={(error) => setFailure(error instanceof UploadError ? error.code : String(error))}
      />
      {media && <output data-media={media}>Stored as {media}</output>}
      {failure && <p role="alert">{failure}</p>}
    </>
  )
}
