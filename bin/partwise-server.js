#!/usr/bin/env node
// The `partwise-server` command. Installed as a package it runs the built
// `dist/reference-server.js`; in a checkout that was never built it runs the TypeScript source
// through tsx.
import { existsSync } from 'node:fs'

const built = new URL('../dist/reference-server.js', import.meta.url)
let entry
if (existsSync(built)) {
  try {
    entry = await import(built.href)
  } catch (error) {
    // Its parsers and SQLite are optional peer dependencies (a browser app installs none).
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec(String(error?.message))
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !missing) throw error
    console.error(
      `partwise-server needs ${missing[1]}, one of its optional peer dependencies. Install them with:\n` +
        '  npm install better-sqlite3 busboy file-type image-size mp4box music-metadata',
    )
    process.exit(1)
  }
} else {
  const { register } = await import('tsx/esm/api')
  register()
  entry = await import('../src/server/dev/cli.ts')
}
process.exitCode = await entry.runCli(process.argv.slice(2))
