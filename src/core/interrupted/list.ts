import type { FindInterruptedOptions, InterruptedUpload } from './types.ts'

export async function findInterruptedUploads(
  _options?: FindInterruptedOptions,
): Promise<InterruptedUpload[]> {
  return []
}
