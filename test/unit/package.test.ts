import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * The package as an app installs it: `npm run build` makes every file the exports map names,
 * a strict TypeScript app resolves the types of all three entries through the map, and the
 * browser entries import in Node with no `window` (server rendering).
 */
const root = resolve('.')
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  exports: Record<string, string | { types: string; import: string }>
}
const consumer = mkdtempSync(join(tmpdir(), 'partwise-consumer-'))

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'pipe' })
}, 120_000)
afterAll(() => rmSync(consumer, { recursive: true, force: true }))

describe('npm run build', () => {
  it('produces every file the exports map names', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.import]
      for (const file of files) expect(existsSync(resolve(file)), `${entry}: ${file}`).toBe(true)
    }
  })

  it('gives a strict TypeScript app the types of partwise, partwise/react, partwise/element and partwise/server', () => {
    mkdirSync(join(consumer, 'node_modules'), { recursive: true })
    symlinkSync(root, join(consumer, 'node_modules', 'partwise'))
    // What the app itself would have installed next to partwise.
    for (const dep of ['react', 'react-dom', '@types']) {
      symlinkSync(join(root, 'node_modules', dep), join(consumer, 'node_modules', dep))
    }
    writeFileSync(join(consumer, 'package.json'), '{"type":"module"}')
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          jsx: 'react-jsx',
          noEmit: true,
          lib: ['ES2023', 'DOM'],
          types: [],
        },
        files: ['app.tsx'],
      }),
    )
    writeFileSync(
      join(consumer, 'app.tsx'),
      [
        "import { createUpload, UploadError, type UploadSnapshot } from 'partwise'",
        "import { Upload, useResumableUpload } from 'partwise/react'",
        "import { createUploadSession } from 'partwise/server'",
        "import type { PartwiseUpload } from 'partwise/element'",
        "const picker: PartwiseUpload | null = document.querySelector('partwise-upload')",
        'const ids: string[] = picker?.value ?? []',
        "const upload = createUpload(new Blob([]), { url: 'https://u.example/x', chunkSize: 5 })",
        'const bytes: number = upload.getSnapshot().bytesUploaded',
        "const code: string = new UploadError('cancelled', 'm').code",
        'export function App() {',
        "  const u = useResumableUpload({ url: 'https://u.example/x' })",
        '  const s: UploadSnapshot["status"] = u.status',
        "  return <Upload url={async () => (await createUploadSession({ apiKey: 'k', baseUrl: 'b' })).url} />",
        '}',
        'export { bytes, code, ids }',
      ].join('\n'),
    )
    const tsc = join(root, 'node_modules/.bin/tsc')
    /** tsc's report, '' when the app type-checks. */
    const run = (): string => {
      try {
        execFileSync(tsc, ['-p', consumer], { stdio: 'pipe' })
        return ''
      } catch (error) {
        return String((error as { stdout?: Buffer }).stdout ?? error)
      }
    }
    expect(run()).toBe('')
    // The check can fail: a wrong type is reported.
    writeFileSync(
      join(consumer, 'wrong.ts'),
      "import { createUpload } from 'partwise'\nexport const n: string = createUpload(new Blob([]), { url: 'u' }).getSnapshot().bytesTotal\n",
    )
    const withWrong = JSON.parse(readFileSync(join(consumer, 'tsconfig.json'), 'utf8'))
    withWrong.files.push('wrong.ts')
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify(withWrong))
    expect(run()).toMatch(/wrong\.ts.*not assignable to type 'string'/)
  })

  it('imports the browser entries in Node with no window, as server rendering does', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    const core = (await import(pathToFileURL(resolve('dist/index.js')).href)) as Record<
      string,
      unknown
    >
    expect(typeof core.createUpload).toBe('function')
    const react = (await import(pathToFileURL(resolve('dist/react.js')).href)) as Record<
      string,
      unknown
    >
    expect(typeof react.Upload).toBe('function')
    // No HTMLElement, no customElements: the element's module still loads, and defines nothing.
    const element = (await import(pathToFileURL(resolve('dist/element.js')).href)) as Record<
      string,
      unknown
    >
    expect(typeof element.PartwiseUpload).toBe('function')
  })
})
