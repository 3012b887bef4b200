import { spawnSync } from 'node:child_process'

/** A system program the tests need, and the Debian packages that bring it. */
export interface SystemNeed {
  /** What it is for, in the words a person reads: "Chromium (browser tests)". */
  label: string
  /** Found when this returns a path (or true); checked again after an install. */
  find: () => string | boolean | undefined
  /** Debian's package names. */
  packages: readonly string[]
}

let updated = false

/**
 * Finds each need, installs the missing ones from Debian as root (one `apt-get install` for all),
 * or stops with a message that says exactly what to install. The test command calls this before
 * anything else, so a fresh machine needs nothing by hand.
 */
export function ensureSystem(needs: readonly SystemNeed[]): void {
  const missing = needs.filter((need) => !need.find())
  if (missing.length === 0) return
  const packages = [...new Set(missing.flatMap((need) => need.packages))]
  const what = missing.map((need) => need.label).join(', ')
  if (process.getuid?.() === 0) {
    console.log(`Missing: ${what}. Installing Debian's ${packages.join(' ')}…`)
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const apt = (args: string[]): boolean =>
      spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0
    if (!updated) updated = apt(['update', '-qq'])
    apt(['install', '-y', '-qq', ...packages])
    const still = missing.filter((need) => !need.find())
    if (still.length === 0) return
    console.error(`The install did not bring: ${still.map((need) => need.label).join(', ')}.`)
  }
  console.error(
    [
      `partwise's tests need ${what}, and it was not found.`,
      `Install it (Debian/Ubuntu: \`sudo apt-get install ${packages.join(' ')}\`), then run \`npm test\` again.`,
    ].join('\n'),
  )
  process.exit(1)
}
