import type { CSSProperties } from 'react'

/**
 * Hidden from sight, not from the layout, focus or screen readers. Inline, not a class, so that
 * it holds with `unstyled` too. For the file input, `display:none` would make it unfocusable,
 * which breaks keyboard access and the focus a `required` input gets on submit.
 */
export const visuallyHidden: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  margin: -1,
  padding: 0,
  border: 0,
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
}
