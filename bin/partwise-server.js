#!/usr/bin/env node
// The `partwise-server` command. Installed as a package it runs the built `dist/server.js`;
// in a checkout that was never built it runs the TypeScript source through tsx.
import { existsSync } from 'node:fs'

const built = new URL('../dist/server.js', import.meta.url)
let entry
if (existsSync(built)) {
  entry = await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  entry = await import('../src/server/dev/cli.ts')
}
process.exitCode = await entry.runCli(process.argv.slice(2))
