/**
 * `npm pack` of partwise as it would be published, built into a temporary directory rather than
 * dist/: the unit project rebuilds dist/ while other projects run, and a pack must not catch a
 * half-written build.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = resolve('.')

/** Builds and packs partwise; resolves with the tarball's path (in a new temporary directory). */
export function packPartwise(): string {
  const work = mkdtempSync(join(tmpdir(), 'partwise-pack-'))
  const pkg = join(work, 'package')
  mkdirSync(join(pkg, 'docs'), { recursive: true })
  for (const file of ['package.json', 'README.md', 'LICENSE', 'bin']) {
    cpSync(join(root, file), join(pkg, file), { recursive: true })
  }
  cpSync(join(root, 'docs/PROTOCOL.md'), join(pkg, 'docs/PROTOCOL.md'))
  // As `npm run build` in a shell: Vitest's NODE_ENV=test would build React's dev JSX runtime.
  const env = { ...process.env, NODE_ENV: 'production' }
  const bin = (name: string) => join(root, 'node_modules/.bin', name)
  execFileSync(bin('vite'), ['build', '--outDir', join(pkg, 'dist'), '--logLevel', 'warn'], {
    cwd: root,
    env,
    stdio: 'pipe',
  })
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist/types')], {
    cwd: root,
    env,
    stdio: 'pipe',
  })
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: pkg,
    env,
    encoding: 'utf8',
  }).trim()
  return join(work, name)
}
