import { useInsertionEffect } from 'react'
import { partwiseCss } from '../ui/styles.ts'

export { partwiseCss }

/**
 * Adds the stylesheet once per document, on first mount: a stylesheet import would need the app's
 * bundler to handle CSS and would break `sideEffects: false`. Prepended to the head so that the
 * app's own rules of equal specificity win. Nothing runs on the server.
 */
export function useDefaultStyles(unstyled: boolean, nonce?: string): void {
  useInsertionEffect(() => {
    if (unstyled || document.querySelector('style[data-partwise]')) return
    const style = document.createElement('style')
    style.setAttribute('data-partwise', '')
    // A page whose CSP allows styles by nonce only would refuse this element without it.
    if (nonce) style.nonce = nonce
    style.textContent = partwiseCss
    document.head.prepend(style)
  }, [unstyled, nonce])
}
