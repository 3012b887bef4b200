/** The machine the figures were measured on, printed with them. */

import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem } from 'node:os'

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  kernel: string
  node: string
  chromium: string
  playwright: string
  date: string
}

function playwrightVersion(): string {
  try {
    const url = new URL('../node_modules/playwright/package.json', import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

export function describeMachine(chromium: string): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: `Linux ${release()}`,
    node: process.version,
    chromium,
    playwright: playwrightVersion(),
    date: new Date().toISOString(),
  }
}
