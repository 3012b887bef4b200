import { useEffect, useState } from 'react'
import { previewKind } from '../ui/file-view.ts'

/**
 * An object URL for the life of the component, revoked on unmount or when the file changes: an
 * unrevoked URL keeps the whole file in memory until the page closes.
 */
function useObjectUrl(file: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!file) return
    const created = URL.createObjectURL(file)
    setUrl(created)
    return () => {
      URL.revokeObjectURL(created)
      setUrl(null)
    }
  }, [file])
  return url
}

const FileIcon = () => (
  <svg
    viewBox="0 0 24 24"
    width="24"
    height="24"
    fill="none"
    stroke="currentColor"
    strokeWidth="1.5"
    aria-hidden="true"
  >
    <path d="M6 2h8l5 5v15H6z M14 2v5h5" />
  </svg>
)

/**
 * A thumbnail: the image itself, or a video's frame at 0.1 s (a media fragment, so no frame is
 * decoded by script); an icon for anything else or anything the browser cannot show. Decorative:
 * the file's name is next to it.
 */
export function FilePreview({ file }: { file: Blob }) {
  const kind = previewKind(file.type)
  const url = useObjectUrl(kind ? file : null)
  const [broken, setBroken] = useState(false)
  const onError = () => setBroken(true)
  let preview = <FileIcon />
  if (url && !broken && kind === 'image') {
    preview = <img src={url} alt="" decoding="async" onError={onError} />
  } else if (url && !broken && kind === 'video') {
    preview = <video src={`${url}#t=0.1`} muted playsInline preload="metadata" onError={onError} />
  }
  return (
    <span className="partwise__preview" aria-hidden="true">
      {preview}
    </span>
  )
}
