/**
 * partwise/react/query: the React Query integration, in its own entry so that `partwise/react`
 * never imports `@tanstack/react-query` (an optional peer: apps without it must not break).
 */
import { type QueryKey, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef } from 'react'
import type { Media } from '../core/index.ts'

/**
 * A callback that invalidates the given queries, for `onSuccess`: the lists that show uploaded
 * media refetch once a file is stored. Stable across renders; it reads the latest keys.
 *
 * @example
 * const invalidate = useInvalidateOnUpload([['media'], ['quota']])
 * <Upload url={getUploadUrl} onSuccess={invalidate} />
 */
export function useInvalidateOnUpload(
  queryKeys: readonly QueryKey[],
): (media?: Media, file?: Blob) => Promise<void> {
  const client = useQueryClient()
  const keys = useRef(queryKeys)
  useEffect(() => {
    keys.current = queryKeys
  })
  return useCallback(async () => {
    await Promise.all(keys.current.map((queryKey) => client.invalidateQueries({ queryKey })))
  }, [client])
}
