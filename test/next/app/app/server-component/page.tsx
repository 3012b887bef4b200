// A Server Component that renders <Upload> itself, with props a server can send. Without
// 'use client' on partwise/react, `next build` fails here ("useInsertionEffect is not a function").
import { Upload } from 'partwise/react'

export default function Page() {
  return <Upload url="https://uploads.invalid/never" accept="image/*" disabled />
}
