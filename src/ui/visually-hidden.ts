/**
 * Hidden from sight, not from the layout, focus or screen readers. Inline, not a class, so that
 * it holds with `unstyled` too. For the file input, `display:none` would make it unfocusable,
 * which breaks keyboard access and the focus a `required` input gets on submit. Camel-cased
 * strings: a React `style` prop and `Object.assign(element.style, …)` both take it.
 */
export const visuallyHidden = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  margin: '-1px',
  padding: '0',
  border: '0',
  overflow: 'hidden',
  clipPath: 'inset(50%)',
  whiteSpace: 'nowrap',
} as const
