/**
 * `partwise-server` from the TypeScript source, for the cluster tests' nodes. Not
 * bin/partwise-server.js, which runs dist/ when a build exists: the unit project rebuilds dist/
 * while other projects run, and a node must not start from a half-written or stale build.
 */
import { runCli } from '../../src/server/dev/cli.ts'

process.exitCode = await runCli(process.argv.slice(2))
