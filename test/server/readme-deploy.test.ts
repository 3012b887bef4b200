import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/server/dev/cli.ts'
import { createUploadServer } from '../../src/server/index.ts'
import { nginxSite } from '../support/nginx.ts'

/**
 * The README's "Deploy" section is a setup people copy: its nginx configuration is the one the
 * cluster tests run (test/support/nginx.ts makes both), and its node's environment and command
 * are what the server reads.
 */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const start = README.indexOf('## Deploy')
const deploy = README.slice(start, README.indexOf('\n## ', start + 1))

/** The fenced `lang` block of the Deploy section that contains `marker`. */
function block(lang: string, marker: string): string {
  for (const match of deploy.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))) {
    if (match[1]?.includes(marker)) return match[1]
  }
  throw new Error(`No \`\`\`${lang} block with "${marker}" in the README's Deploy section`)
}

describe("the README's Deploy section", () => {
  it('shows the nginx configuration the cluster tests run', () => {
    expect(start).toBeGreaterThan(0)
    expect(block('nginx', 'upstream partwise')).toBe(
      nginxSite({
        upstreams: ['10.0.0.11:4000', '10.0.0.12:4000'],
        listen: '443 ssl',
        serverName: 'uploads.example.com',
        tls: {
          certificate: '/etc/ssl/certs/uploads.example.com.pem',
          key: '/etc/ssl/private/uploads.example.com.key',
        },
      }),
    )
  })

  it('configures a node with the variables and flags the server reads', async () => {
    const sh = block('sh', 'export DATABASE_URL')
    const env: Record<string, string> = {}
    for (const [, name, value] of sh.matchAll(/^export (\w+)=(\S+)/gm)) {
      env[name as string] = value as string
    }
    const command = sh.split('\n').find((line) => line.startsWith('npx partwise-server '))
    const argv = (command ?? '').replace(/#.*/, '').trim().split(/\s+/).slice(2)
    const options = parseCli(argv, env)
    expect(options).toEqual({
      host: '0.0.0.0',
      port: 4000,
      database: env.DATABASE_URL,
      apiKey: env.PARTWISE_API_KEY,
      signingSecret: env.PARTWISE_SIGNING_SECRET,
      publicUrl: env.PARTWISE_PUBLIC_URL,
      storage: env.PARTWISE_STORAGE,
    })
    // The rest are the AWS SDK's own standard names, which it reads itself (docs: Storage).
    expect(Object.keys(env)).toEqual([
      'DATABASE_URL',
      'PARTWISE_API_KEY',
      'PARTWISE_SIGNING_SECRET',
      'PARTWISE_PUBLIC_URL',
      'PARTWISE_STORAGE',
      'AWS_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_ENDPOINT_URL_S3',
    ])
    // The server takes them as they are (its URLs are checked here; it connects on listen()).
    if ('help' in options) throw new Error('--help')
    const { shutdownGraceMs: _, ...serverOptions } = options
    await createUploadServer(serverOptions).close()
  })
})
