import type { FindInterruptedOptions, InterruptedUpload } from './interrupted/types.ts'

/**
 * The chunk that keeps what a reload needs to continue without the file being picked again
 * (#16): handles in IndexedDB, private copies, the list of interrupted uploads. Loaded only by
 * an upload from a handle or with `keepCopy`, and by `findInterruptedUploads`.
 */
export const keeper = () => import('./interrupted/lazy.ts')

/**
 * Resolves with the uploads a reload, a crash or an error left unfinished in this browser (the
 * default `localStorage` records), newest first. `{ endpoint }` narrows the list.
 */
export const findInterruptedUploads = (
  options?: FindInterruptedOptions,
): Promise<InterruptedUpload[]> => keeper().then((chunk) => chunk.list(options))
