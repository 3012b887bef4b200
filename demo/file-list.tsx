import { useQuery } from '@tanstack/react-query'

interface FileObject {
  id: string
  filename: string | null
  kind: string | null
  type: string
  width: number | null
  height: number | null
  duration: number | null
  filesize: number
  url: string
  created: string
}

interface FilePage {
  data: FileObject[]
  meta: { total: number; page: number; pages: number }
}

const size = (n: number) => (n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`)

/** The uploaded files, through React Query; the upload's onSuccess invalidates ['files']. */
export function FileList() {
  const files = useQuery({
    queryKey: ['files'],
    queryFn: async (): Promise<FilePage> => {
      const response = await fetch('/api/files?limit=20')
      if (!response.ok) throw new Error(`Could not list the files (HTTP ${response.status})`)
      return (await response.json()) as FilePage
    },
  })
  return (
    <section aria-labelledby="files-heading">
      <h2 id="files-heading">Files on the server</h2>
      {files.isPending && <p>Loading…</p>}
      {files.error && <p role="alert">{files.error.message}</p>}
      {files.data && files.data.data.length === 0 && <p>No files yet.</p>}
      {files.data && files.data.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">Dimensions</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {files.data.data.map((file) => (
              <tr key={file.id}>
                <td>
                  <a href={file.url} target="_blank" rel="noreferrer">
                    {file.filename ?? file.id}
                  </a>
                </td>
                <td>{file.kind ?? file.type}</td>
                <td>{size(file.filesize)}</td>
                <td>{file.width && file.height ? `${file.width}×${file.height}` : '—'}</td>
                <td>{file.duration ? `${file.duration.toFixed(1)} s` : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
