/**
 * Which part sizes a store accepts. S3 needs every part but the last to be at least 5 MiB, takes
 * at most 10,000 parts of at most 5 GiB, and caps an object at 5 TiB. The session response
 * tells the client (`part_limits`, docs/PROTOCOL.md), and the server checks each part itself:
 * Swift checks the minimum only at completion, with a generic error.
 */
export interface PartLimits {
  /** Bytes every part but the last must reach. */
  minSize: number
  /** Bytes no part may exceed. */
  maxSize: number
  /** Parts in one upload: indexes run 0…maxCount-1. */
  maxCount: number
  /** Bytes in one file. */
  maxFileSize: number
  /**
   * The part size the store works best with, a wish and not a limit: each part costs a store a
   * request (S3 bills per request) and work of its own (Swift: a segment object, checked again
   * at completion), so fewer, larger parts are cheaper. The client's default plan grows its
   * parts up to it for large files (docs/PROTOCOL.md §2e). Absent: no wish.
   */
  preferredSize?: number
}

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const TiB = 1024 * GiB

export const S3_PART_LIMITS: PartLimits = {
  minSize: 5 * MiB,
  maxSize: 5 * GiB,
  maxCount: 10_000,
  maxFileSize: 5 * TiB,
  // `npm run bench -- --store s3` into Swift: 32 MiB parts, four in flight, matched one
  // streamed PutObject at 1 GiB where 16 MiB parts reached 0.76-0.89 of it (README, Storage).
  // Four of them in flight are 128 MiB a reload may lose, which the default plan reaches only
  // at 1 GiB and up (1/8 of the file).
  preferredSize: 32 * MiB,
}

/** The session response's `part_limits` field, in the envelope's snake_case. */
export interface PartLimitsField {
  min_size: number
  max_size: number
  max_count: number
  max_filesize: number
  preferred_size?: number
}

export const partLimitsField = (limits: PartLimits): PartLimitsField => ({
  min_size: limits.minSize,
  max_size: limits.maxSize,
  max_count: limits.maxCount,
  max_filesize: limits.maxFileSize,
  ...(limits.preferredSize === undefined ? {} : { preferred_size: limits.preferredSize }),
})

/** "5 MiB", "5,242,879 bytes": sizes as a person reads them in a refusal. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['TiB', TiB],
    ['GiB', GiB],
    ['MiB', MiB],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`
  }
  return `${bytes.toLocaleString('en-US')} bytes`
}

/**
 * Why part `index` of `size` bytes cannot be stored, given the sizes of the parts the session
 * already holds (index → size), or null. A small part is refused as soon as the server can know
 * it is not the last: when a part with a higher index exists, whichever of the two arrives second.
 */
export function partSizeProblem(
  held: ReadonlyMap<number, number>,
  index: number,
  size: number,
  limits: PartLimits,
): string | null {
  if (index >= limits.maxCount) {
    return `Part ${index} is beyond this storage's limit of ${limits.maxCount} parts (indexes 0–${limits.maxCount - 1}): send larger parts`
  }
  if (size > limits.maxSize) {
    return `Part ${index} is ${formatBytes(size)}; this storage takes at most ${formatBytes(limits.maxSize)} per part`
  }
  const minimum = formatBytes(limits.minSize)
  if (size < limits.minSize) {
    const later = [...held.keys()].find((other) => other > index)
    if (later !== undefined) {
      return `Part ${index} is ${formatBytes(size)}, below this storage's minimum of ${minimum} for every part but the last, and part ${later} comes after it`
    }
  }
  for (const [other, otherSize] of held) {
    if (other < index && otherSize < limits.minSize) {
      return `Part ${other} is ${formatBytes(otherSize)}, below this storage's minimum of ${minimum} for every part but the last, so part ${index} cannot follow it: re-send part ${other} whole`
    }
  }
  return null
}

/** Why the parts (sizes in index order, none missing) cannot form one file, or null. */
export function completionSizeProblem(sizes: readonly number[], limits: PartLimits): string | null {
  if (sizes.length > limits.maxCount) {
    return `The upload has ${sizes.length} parts; this storage takes at most ${limits.maxCount}`
  }
  const total = sizes.reduce((sum, size) => sum + size, 0)
  if (total > limits.maxFileSize) {
    return `The file is ${formatBytes(total)}; this storage takes at most ${formatBytes(limits.maxFileSize)}`
  }
  const small = sizes.findIndex((size, i) => i < sizes.length - 1 && size < limits.minSize)
  if (small >= 0) {
    return `Part ${small} is ${formatBytes(sizes[small] as number)}, below this storage's minimum of ${formatBytes(limits.minSize)} for every part but the last`
  }
  return null
}
