/** `partwise-server --storage s3://BUCKET/PREFIX` (and PARTWISE_STORAGE) selects S3. */
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseCli } from '../../src/server/dev/cli.ts'

const BIN = fileURLToPath(new URL('../../bin/partwise-server.js', import.meta.url))

describe('--storage', () => {
  it('takes s3://BUCKET/PREFIX from the flag, or from PARTWISE_STORAGE', () => {
    expect(parseCli(['--storage', 's3://bucket/uploads'], {})).toEqual({
      storage: 's3://bucket/uploads',
    })
    expect(parseCli([], { PARTWISE_STORAGE: 's3://env-bucket' })).toEqual({
      storage: 's3://env-bucket',
    })
    expect(parseCli(['--storage', 's3://flag'], { PARTWISE_STORAGE: 's3://env-bucket' })).toEqual({
      storage: 's3://flag',
    })
    expect(parseCli([], {})).toEqual({})
  })

  it('refuses anything else, showing the expected form', () => {
    expect(() => parseCli(['--storage', '/var/data'], {})).toThrow(
      /--storage must be s3:\/\/BUCKET\/PREFIX/,
    )
    expect(() => parseCli(['--storage', 's3://No_Such'], {})).toThrow(/expected s3:\/\/BUCKET/)
  })

  it('a bucket the server cannot reach stops it at start, naming the endpoint and the bucket', {
    timeout: 60_000,
  }, async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address()
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 1))
      })
    })
    const endpoint = `http://127.0.0.1:${port}`
    const child = spawn(process.execPath, [BIN, '--storage', 's3://partwise-bucket/p'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_S3: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'id',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr.trim()).toBe(
      `Cannot reach the S3 endpoint ${endpoint} to check bucket "partwise-bucket" (connection refused). Is the store running, and is AWS_ENDPOINT_URL_S3 right?`,
    )
  })
})
