import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCli } from '../../src/server/dev/cli.ts'

const BIN = fileURLToPath(new URL('../../bin/partwise-server.js', import.meta.url))

interface Run {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

function run(args: string[]): Run {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, output: () => output, exited }
}

/** Resolves with the first match of `pattern` in the output, or fails after `ms`. */
async function waitFor(started: Run, pattern: RegExp, ms = 15_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const match = pattern.exec(started.output())
    if (match) return match
    if (started.child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`No ${pattern} in the output:\n${started.output()}`)
}

describe('partwise-server (bin/partwise-server.js)', () => {
  let dataDir: string
  const children: ChildProcess[] = []
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'partwise-cli-'))
  })
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  })

  it('starts, prints its origin and key, answers, and stops on SIGTERM', {
    timeout: 30_000,
  }, async () => {
    const started = run([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--api-key',
      'cli-key',
      '--data',
      dataDir,
    ])
    children.push(started.child)
    const [, origin] = await waitFor(started, /listening on (http:\/\/127\.0\.0\.1:\d+)/)
    expect(started.output()).toContain('API key: cli-key')
    const response = await fetch(`${origin}/files`, {
      headers: { Authorization: 'Bearer cli-key' },
    })
    expect(response.status).toBe(200)
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
    expect(started.output()).toContain('SIGTERM: closing')
    await expect(fetch(`${origin}/files`)).rejects.toThrow()
  })

  it('prints its usage for --help and refuses unknown options', { timeout: 30_000 }, async () => {
    const help = run(['--help'])
    expect(await help.exited).toBe(0)
    expect(help.output()).toMatch(/Usage: partwise-server/)
    const wrong = run(['--nonsense'])
    expect(await wrong.exited).toBe(2)
    expect(wrong.output()).toMatch(/nonsense/)
  })
})

describe('parseCli()', () => {
  it('maps the options onto createUploadServer options', () => {
    expect(
      parseCli(
        [
          '--port',
          '8080',
          '--host',
          '0.0.0.0',
          '--data',
          '/d',
          '--control',
          '--allow-private-urls',
        ],
        { PARTWISE_API_KEY: 'from-env' },
      ),
    ).toEqual({
      port: 8080,
      host: '0.0.0.0',
      dataDir: '/d',
      apiKey: 'from-env',
      control: true,
      allowPrivateUrls: true,
    })
    expect(parseCli(['--api-key', 'flag'], { PARTWISE_API_KEY: 'env' })).toEqual({ apiKey: 'flag' })
  })

  it('refuses a port that is not one', () => {
    expect(() => parseCli(['--port', 'http'], {})).toThrow(/--port/)
    expect(() => parseCli(['--port', '70000'], {})).toThrow(/--port/)
  })
})
