import type { FileRefusal } from '../ui/drop-rules.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

export interface RefusalsProps {
  refusals: readonly FileRefusal[]
  maxFiles: number | undefined
  messages: UploadMessages
  /** Dismissing unmounts the focused button: the parent decides where focus goes next. */
  onDismiss: () => void
}

/** The files of the last pick, drop or paste that were not taken, why, and a way to hide it. */
export function Refusals({ refusals, maxFiles, messages: m, onDismiss }: RefusalsProps) {
  if (refusals.length === 0) return null
  return (
    <div className="partwise__refusals">
      <ul className="partwise__errors partwise__refused">
        {refusals.map((r) => (
          <li key={`${r.file.name}:${r.file.size}:${r.file.lastModified}:${r.reason}`}>
            {m.refused(r, maxFiles)}
          </li>
        ))}
      </ul>
      <button type="button" className="partwise__button" onClick={onDismiss}>
        {m.dismiss}
      </button>
    </div>
  )
}
