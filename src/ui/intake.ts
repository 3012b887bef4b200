import type { FileRefusal } from './drop-rules.ts'
import type { QueueActions } from './queue-types.ts'
import type { UploadMessages } from './ui-messages.ts'

/**
 * What the control does with the files of one pick, drop or paste: a single-file control
 * replaces its file, the queue refuses what goes beyond `maxFiles`, and every refusal is
 * returned (to show) with one sentence (to announce; '' for none).
 */
export function intake(
  queue: QueueActions,
  accepted: File[],
  refused: FileRefusal[],
  multiple: boolean,
  maxFiles: number | undefined,
  m: UploadMessages,
): { refusals: FileRefusal[]; announcement: string } {
  if (!multiple && accepted.length > 0) queue.clear()
  const overflow = queue
    .add(accepted)
    .map((file) => ({ file: file as File, reason: 'maxFiles' as const }))
  const refusals = [...refused, ...overflow]
  const limit = multiple ? maxFiles : 1
  return { refusals, announcement: refusals.map((r) => m.refused(r, limit)).join('. ') }
}
