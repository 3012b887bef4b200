// A Server Component: the upload UI is the client component below.
import { Uploader } from './uploader'

export default function Page() {
  return (
    <main>
      <h1>partwise on Next.js</h1>
      <Uploader />
    </main>
  )
}
