import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the real servers the cluster tests run are installed. Debian keeps PostgreSQL's
 * programs off the PATH, in `/usr/lib/postgresql/<major>/bin`; `POSTGRES_BIN` overrides.
 * Undefined when not installed.
 */
export function findPostgres(): string | undefined {
  const fromEnv = process.env.POSTGRES_BIN
  if (fromEnv) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return undefined
  const majors = readdirSync(root)
    .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a))
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin')
}

/** `NGINX_PATH` wins, then Debian's `/usr/sbin/nginx`; undefined when neither exists. */
export function findNginx(): string | undefined {
  const fromEnv = process.env.NGINX_PATH
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined
  return existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : undefined
}
