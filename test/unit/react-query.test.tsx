// @vitest-environment jsdom
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { cleanup, renderHook } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { useInvalidateOnUpload } from '../../src/react/query.ts'

afterEach(cleanup)

describe('useInvalidateOnUpload()', () => {
  it('invalidates every given query key, with the keys of the latest render', async () => {
    const client = new QueryClient()
    const invalidate = vi.spyOn(client, 'invalidateQueries').mockResolvedValue()
    const wrapper = ({ children }: { children: ReactNode }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    )
    const { result, rerender } = renderHook(({ keys }) => useInvalidateOnUpload(keys), {
      wrapper,
      initialProps: { keys: [['media']] as unknown[][] },
    })
    const first = result.current
    rerender({ keys: [['media'], ['quota', 'me']] })
    expect(result.current).toBe(first)
    await result.current()
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([
      ['media'],
      ['quota', 'me'],
    ])
  })

  it('lives in its own entry: nothing else in partwise/react imports react-query', () => {
    const dir = join(process.cwd(), 'src/react')
    const importers = readdirSync(dir).filter((name) =>
      /from '@tanstack\/react-query'/.test(readFileSync(join(dir, name), 'utf8')),
    )
    expect(importers).toEqual(['query.ts'])
  })
})
