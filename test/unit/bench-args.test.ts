import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../bench/args.ts'
import { describe as describeRow, PARTWISE_16M_ID, s3Matrix } from '../../bench/clients.ts'

describe('npm run bench -- --store / --nodes', () => {
  it('keeps the disk and one server by default, with the README table as its output', () => {
    const args = parseArgs([])
    expect([args.store, args.nodes, args.out, args.resume]).toEqual(['disk', 1, 'latest', true])
  })

  it('--store s3 measures the server side only, into its own results', () => {
    const args = parseArgs(['--store', 's3', '--sizes', '256m,1g'])
    expect([args.store, args.memoryRounds, args.resume, args.out]).toEqual(['s3', 0, false, 's3'])
    expect(parseArgs(['--store', 's3', '--nodes', '2']).out).toBe('s3-nodes')
    expect(parseArgs(['--store', 's3', '--out', 'mine']).out).toBe('mine')
  })

  it('refuses --nodes 2 without a shared S3 store, and unknown stores', () => {
    expect(() => parseArgs(['--nodes', '2'])).toThrow(/--store s3/)
    expect(() => parseArgs(['--store', 'gcs'])).toThrow(/disk or s3/)
    expect(() => parseArgs(['--store', 's3', '--nodes', '3'])).toThrow(/1 or 2/)
  })

  it('leaves out the rows whose parts S3 refuses, and adds the nginx row for two nodes', () => {
    const one = s3Matrix(1, false)
    expect(one.map((c) => c.kind)).not.toContain('tus')
    expect(
      one.every((c) => c.kind !== 'partwise' || (c.chunkSize ?? 16 * 2 ** 20) >= 5 * 2 ** 20),
    ).toBe(true)
    expect(one.some((c) => c.kind === 'partwise' && c.chunkSize === 4 * 2 ** 20)).toBe(false)
    expect(s3Matrix(2, false).at(-1)).toMatchObject({ kind: 'partwise', route: 'balancer' })
  })

  it('runs the defaults as an app gets them on S3 (the session decides), beside 16 MiB × 4', () => {
    const one = s3Matrix(1, false)
    // No chunkSize: the plan is fitted to the session's part_limits and its preferred_size.
    expect(one.find((c) => c.id === 'partwise')).toEqual({ id: 'partwise', kind: 'partwise' })
    expect(one.find((c) => c.id === PARTWISE_16M_ID)).toMatchObject({
      chunkSize: 16 * 2 ** 20,
      concurrency: 4,
    })
    expect(describeRow({ id: 'partwise', kind: 'partwise' }, 's3')).toMatch(/fitted to part_limits/)
  })
})
