import { type BarCounts, barValues } from '../ui/file-view.ts'
import type { UploadMessages } from '../ui/ui-messages.ts'

export interface ProgressBarProps {
  label: string
  /** The id of a visible label: named by it instead of `label`. */
  labelledBy?: string | undefined
  counts: BarCounts
  messages: UploadMessages
}

/**
 * A `role="progressbar"` div rather than `<progress>`: the native element cannot be styled the
 * same way across engines without vendor pseudo-elements, and the theme is CSS variables.
 */
export function ProgressBar({ label, labelledBy, counts, messages }: ProgressBarProps) {
  const { fraction, percent, text } = barValues(counts, messages)
  return (
    <div
      className="partwise__bar"
      role="progressbar"
      aria-label={labelledBy ? undefined : label}
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={text}
    >
      <span className="partwise__fill" style={{ width: `${fraction * 100}%` }} />
    </div>
  )
}
