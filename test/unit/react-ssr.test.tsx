import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { Upload, useResumableUpload } from '../../src/react/index.ts'

/** Runs in plain Node: no `window`, no `document`, as in a server render. */
function Progress() {
  const u = useResumableUpload({ url: async () => 'https://upload.test/u' })
  return <p data-status={u.status}>{Math.round(u.progress * 100)}%</p>
}

describe('server rendering', () => {
  it('really has no DOM here', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('renders <Upload /> with its input, its label and an empty live region', () => {
    const html = renderToString(<Upload url="https://upload.test/u" multiple accept="image/*" />)
    expect(html).toContain('type="file"')
    expect(html).toContain('Drop files here, or click to browse')
    expect(html).toContain('data-status="idle"')
    expect(html).toContain('role="status"')
  })

  it('renders a component using useResumableUpload in its idle state', () => {
    expect(renderToString(<Progress />)).toBe('<p data-status="idle">0<!-- -->%</p>')
  })
})
