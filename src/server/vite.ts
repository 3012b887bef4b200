/**
 * `partwise/vite`: the reference server inside Vite's (or Storybook's) dev server. Its own
 * entry, so that only apps that have Vite read types that import `vite`.
 */

export {
  type PartwiseServerPluginOptions,
  partwiseServer,
  type SessionDefaults,
} from './dev/vite-plugin.ts'
