/**
 * The plain HTML demo's only script: importing the element defines `<partwise-upload>`; the rest
 * shows what the form submits and the files the server holds, refreshed after each upload.
 */
import '../src/element/index.ts'

interface FileObject {
  id: string
  filename: string | null
  kind: string | null
  type: string
  filesize: number
  url: string
}

const form = document.querySelector('form') as HTMLFormElement
const sent = document.querySelector('#sent') as HTMLOutputElement
const rows = document.querySelector('#files') as HTMLTableSectionElement

form.addEventListener('submit', (event) => {
  event.preventDefault()
  const entries = [...new FormData(form)].map(([name, value]) => `${name}=${String(value)}`)
  sent.textContent = entries.join('\n')
})

async function listFiles(): Promise<void> {
  const response = await fetch('/api/files?limit=20')
  if (!response.ok) return
  const { data } = (await response.json()) as { data: FileObject[] }
  rows.replaceChildren(
    ...data.map((file) => {
      const row = document.createElement('tr')
      const link = document.createElement('a')
      link.href = file.url
      link.textContent = file.filename ?? file.id
      const cells = [link, file.kind ?? file.type, `${(file.filesize / 1e3).toFixed(1)} kB`]
      for (const content of cells) {
        const cell = document.createElement('td')
        cell.append(content)
        row.append(cell)
      }
      return row
    }),
  )
}

document.addEventListener('upload-success', () => void listFiles())
void listFiles()
