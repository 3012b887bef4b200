/**
 * `npm test`: everything that must hold, in one command, on a fresh clone.
 * 1. System programs (Chromium, PostgreSQL, nginx, …): found, or installed from Debian as root (tooling/debian.ts),
 *    or a clear message of what to install.
 * 2. Lint and format (Biome), the type-check (tsc, strict), and `storybook build`.
 * 3. Vitest's projects: unit (Node/jsdom), browser (Chromium against the reference server),
 *    e2e (Playwright driving Chromium: reloads, offline mode, the demo), storybook (play functions),
 *    storybook-static (that build, served as static files, in Chromium).
 * Ends with a plain "N passed, N failed" line.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findChromium } from '../tooling/chromium.ts'
import { ensureSystem } from '../tooling/debian.ts'
import { findNginx, findPostgres } from '../tooling/servers.ts'
import { findSwift, swiftPackages } from '../tooling/swift.ts'

function run(label: string, command: string, args: string[]): void {
  console.log(`\n▶ ${label}: ${command} ${args.join(' ')}`)
  const result = spawnSync(command, args, { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status || 1)
  }
}

ensureSystem([
  { label: 'Chromium (browser tests)', find: findChromium, packages: ['chromium'] },
  { label: 'PostgreSQL 15 (cluster tests)', find: findPostgres, packages: ['postgresql'] },
  { label: 'nginx (cluster tests: the load balancer)', find: findNginx, packages: ['nginx-light'] },
  {
    label: 'OpenStack Swift with s3api (S3 storage and cluster tests)',
    find: findSwift,
    packages: swiftPackages,
  },
])
const chromium = findChromium() as string
process.env.CHROMIUM_PATH = chromium
console.log(`Chromium: ${chromium}`)

run('lint and format', 'npx', ['biome', 'check', '--error-on-warnings', '.'])
run('type-check', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])
const storybookStatic = mkdtempSync(join(tmpdir(), 'partwise-storybook-'))
run('storybook build', 'npx', [
  'storybook',
  'build',
  '--quiet',
  '--disable-telemetry',
  '--output-dir',
  storybookStatic,
])
// The storybook-static project reads this build instead of making its own.
process.env.PARTWISE_STORYBOOK_STATIC = storybookStatic

const report = join(mkdtempSync(join(tmpdir(), 'partwise-test-')), 'vitest.json')
const vitest = spawnSync(
  'npx',
  ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
  { stdio: 'inherit' },
)
let passed = 0
let failed = 0
let skipped = 0
try {
  const summary = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
  }
  passed = summary.numPassedTests
  failed = summary.numFailedTests
  skipped = summary.numPendingTests
} catch {
  failed = Math.max(failed, 1)
}
if (vitest.status !== 0 && failed === 0) failed = 1
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || vitest.status !== 0 ? 1 : 0)
