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
import { dirname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'vite'
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
  // NODE_ENV as in a shell: Vitest's 'test' would build React's dev JSX runtime into dist/,
  // which an `npm pack` after `npm test` would then ship.
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, NODE_ENV: 'production' },
  })
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

describe('the client entries', () => {
  it('use the production JSX runtime', () => {
    expect(readFileSync('dist/react.js', 'utf8')).not.toMatch(/jsx-dev-runtime/)
  })

  it("start with 'use client', so a Server Component that renders <Upload> gets a client reference", () => {
    for (const file of ['dist/react.js', 'dist/react-query.js']) {
      expect(readFileSync(file, 'utf8'), file).toMatch(/^["']use client["'];?\n/)
    }
    // The others are no client boundary: the core and the element are safe on the server too.
    for (const file of ['dist/index.js', 'dist/element.js', 'dist/server.js']) {
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/use client/)
    }
  })
})

/**
 * Bare specifiers (packages) that a file and everything it imports relatively import; with
 * `staticOnly`, what loading the module loads at once (no `import()`).
 */
function packagesReached(file: string, staticOnly = false, seen = new Set<string>()) {
  const found = new Set<string>()
  const visit = (path: string) => {
    if (seen.has(path)) return
    seen.add(path)
    const code = readFileSync(path, 'utf8')
    const pattern = staticOnly
      ? /(?:from|^import)\s*["']([^"']+)["']/gm
      : /(?:from|import)\s*\(?\s*["']([^"']+)["']/g
    for (const match of code.matchAll(pattern)) {
      const specifier = match[1] as string
      // Declarations import `./x.ts` (or `./x.js`), which TypeScript reads as `./x.d.ts`.
      const next = path.endsWith('.d.ts') ? specifier.replace(/\.(tsx?|jsx?)$/, '.d.ts') : specifier
      if (specifier.startsWith('.')) visit(resolve(dirname(path), next))
      else found.add(specifier)
    }
  }
  visit(file)
  return found
}

const HEAVY = ['music-metadata', 'mp4box', 'busboy', 'file-type', 'image-size']

describe('partwise/server, the backend helper', () => {
  it('reaches no package but Node from its code and its types', () => {
    const target = pkg.exports['./server'] as { types: string; import: string }
    const reached = [
      ...packagesReached(resolve(target.import)),
      ...packagesReached(resolve(target.types)),
    ]
    expect(reached.filter((name) => !name.startsWith('node:'))).toEqual([])
  })

  it('bundles into a route that imports createUploadSession without a parser or a driver', async () => {
    const app = mkdtempSync(join(tmpdir(), 'partwise-route-'))
    try {
      mkdirSync(join(app, 'node_modules'))
      symlinkSync(root, join(app, 'node_modules', 'partwise'))
      writeFileSync(
        join(app, 'route.js'),
        "import { createUploadSession } from 'partwise/server'\nexport const POST = () => createUploadSession({ apiKey: 'k', baseUrl: 'http://127.0.0.1' })\n",
      )
      // As an app's server bundler does: every import inlined, nothing left external but Node.
      const result = (await build({
        configFile: false,
        root: app,
        logLevel: 'silent',
        ssr: { noExternal: true },
        build: { ssr: join(app, 'route.js'), write: false, minify: false },
      })) as { output: Array<{ type: string; code?: string; moduleIds?: string[] }> }
      const chunks = result.output.filter((item) => item.type === 'chunk')
      const modules = chunks.flatMap((chunk) => chunk.moduleIds ?? [])
      expect(modules.some((id) => id.includes('create-upload-session'))).toBe(true)
      for (const name of [...HEAVY, 'better-sqlite3', 'pg', '@aws-sdk', 'vite']) {
        expect(modules.filter((id) => id.includes(`/node_modules/${name}/`))).toEqual([])
      }
      const size = chunks.reduce((sum, chunk) => sum + (chunk.code?.length ?? 0), 0)
      console.log(`a route with createUploadSession: ${(size / 1024).toFixed(1)} KB unminified`)
      expect(size).toBeLessThan(8 * 1024)
    } finally {
      rmSync(app, { recursive: true, force: true })
    }
  })
})

describe('package.json', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies?: Record<string, string>
    peerDependencies: Record<string, string>
    peerDependenciesMeta: Record<string, { optional?: boolean }>
    files: string[]
  }

  it('makes a browser app install nothing: every server package is an optional peer', () => {
    expect(manifest.dependencies ?? {}).toEqual({})
    for (const name of [...HEAVY, 'better-sqlite3']) {
      expect(manifest.peerDependencies[name], name).toBeDefined()
      expect(manifest.peerDependenciesMeta[name]?.optional, name).toBe(true)
    }
  })

  it('ships the protocol the types cite, and the licence', () => {
    expect(manifest.files).toContain('docs/PROTOCOL.md')
    expect(existsSync('docs/PROTOCOL.md')).toBe(true)
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License/)
  })

  it('loads the reference server in partwise/vite only when a dev server starts', () => {
    // `vite build` with the plugin in its config needs none of the server's optional peers.
    const reached = [...packagesReached(resolve('dist/vite.js'), true)]
    expect(reached.filter((name) => !name.startsWith('node:'))).toEqual([])
    expect([...packagesReached(resolve('dist/vite.js'))]).toContain('busboy')
  })

  it('keeps vite out of every entry but partwise/vite, code and types', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string' || entry === './vite') continue
      const reached = new Set([
        ...packagesReached(resolve(target.import)),
        ...packagesReached(resolve(target.types)),
      ])
      expect(reached.has('vite'), entry).toBe(false)
    }
  })
})
