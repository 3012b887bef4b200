/**
 * `npm run test:soak -- --hammer [--minutes N]`: the exactly-once hammer of #13
 * (test/reliability/exactly-once-hammer.test.ts) for N minutes instead of CI's short budget.
 * Every run is counted, broken or not (HAMMER_TALLY), one line per run goes to
 * bench/results/soak-hammer.log, and the exit code is non-zero when any run broke an
 * invariant. The seed is printed first; `HAMMER_SEED=<seed>` replays the same scenarios.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'

export function soakHammer(minutes: number): number {
  mkdirSync('bench/results', { recursive: true })
  const log = 'bench/results/soak-hammer.log'
  writeFileSync(log, '')
  console.log(`hammer soak: ${minutes} min, one line per run in ${log}`)
  const result = spawnSync(
    'npx',
    ['vitest', 'run', '--project', 'unit', 'test/reliability/exactly-once-hammer.test.ts'],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        HAMMER_MINUTES: String(minutes),
        HAMMER_TALLY: '1',
        HAMMER_LOG: log,
      },
    },
  )
  return result.status ?? 1
}
