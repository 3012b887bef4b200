import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * Every ```ts and ```tsx block of README.md compiles in a strict app (#17 item 9). A block
 * whose first line is a comment naming a file (`// src/upload.ts …`) is written there, so the
 * blocks import each other as the README says they fit together; the others get a name of
 * their own. `partwise` resolves to this repository's source, entry by entry.
 */
const root = resolve('.')
const app = mkdtempSync(join(tmpdir(), 'partwise-readme-'))
// What the app installed beside partwise: React, React Query, Vite, @types/node.
symlinkSync(join(root, 'node_modules'), join(app, 'node_modules'))
afterAll(() => rmSync(app, { recursive: true, force: true }))

const ENTRIES: Record<string, string> = {
  partwise: 'src/core/index.ts',
  'partwise/react': 'src/react/index.ts',
  'partwise/react/query': 'src/react/query.ts',
  'partwise/element': 'src/element/index.ts',
  'partwise/server': 'src/server/backend/index.ts',
  'partwise/reference-server': 'src/server/reference.ts',
  'partwise/vite': 'src/server/vite.ts',
}

interface Snippet {
  file: string
  line: number
  code: string
}

function readmeSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = []
  const pattern = /^```(tsx?)\n([\s\S]*?)^```$/gm
  for (const match of markdown.matchAll(pattern)) {
    const [, lang, code = ''] = match
    const line = markdown.slice(0, match.index).split('\n').length
    const named = /^\/\/ ([\w./[\]-]+\.tsx?)\b/.exec(code)
    snippets.push({ file: named?.[1] ?? `readme/line-${line}.${lang}`, line, code })
  }
  return snippets
}

/** tsc's report for the snippets (only what it says about them), '' when they compile. */
function typeCheck(snippets: readonly Snippet[]): string {
  for (const snippet of snippets) {
    mkdirSync(dirname(join(app, snippet.file)), { recursive: true })
    // Every file of an app is a module: no block's names leak into another as globals.
    writeFileSync(join(app, snippet.file), `${snippet.code}\nexport {}\n`)
  }
  const paths = Object.fromEntries(
    Object.entries(ENTRIES).map(([name, file]) => [name, [join(root, file)]]),
  )
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'Bundler',
        jsx: 'react-jsx',
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noImplicitReturns: true,
        noUncheckedIndexedAccess: true,
        exactOptionalPropertyTypes: true,
        noFallthroughCasesInSwitch: true,
        // partwise's own sources import `./x.ts`: they are read from source here.
        allowImportingTsExtensions: true,
        isolatedModules: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
        paths,
      },
      files: snippets.map((s) => s.file),
    }),
  )
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', app], { cwd: app, stdio: 'pipe' })
    return ''
  } catch (error) {
    const report = String((error as { stdout?: Buffer }).stdout ?? error)
    const mine = new Set(snippets.map((s) => s.file))
    const lines = report.split('\n').filter((l) => mine.has(l.split('(')[0] ?? ''))
    // Name each block by its README line, which is where a reader will look.
    return lines
      .map((l) => {
        const snippet = snippets.find((s) => l.startsWith(`${s.file}(`))
        return snippet ? `README.md block at line ${snippet.line}: ${l}` : l
      })
      .join('\n')
  }
}

describe('README.md', () => {
  const snippets = readmeSnippets(readFileSync('README.md', 'utf8'))

  it('has TypeScript blocks, each with a file of its own', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5)
    const files = snippets.map((s) => s.file)
    expect(new Set(files).size).toBe(files.length)
  })

  it('every TypeScript block compiles in a strict app (noUnused*, exactOptionalPropertyTypes)', () => {
    expect(typeCheck(snippets)).toBe('')
  }, 60_000)

  it('the check can fail: a block with an unused parameter is reported', () => {
    const bad = {
      file: 'readme/bad.ts',
      line: 0,
      code: "import { createUpload } from 'partwise'\nexport const f = (file: Blob, unused: number) => createUpload(file, { url: 'u' })\n",
    }
    expect(typeCheck([...snippets, bad])).toMatch(/block at line 0: readme\/bad\.ts.*TS6133/)
  }, 60_000)
})
