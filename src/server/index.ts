/**
 * Everything Node, for this repository's tests, scripts and Storybook: the backend helper, the
 * reference upload server and its Vite plugin. The package ships them as three entries, so that
 * each user reads and bundles only their own: `partwise/server` (backend/index.ts: the helper,
 * nothing heavy), `partwise/reference-server` (reference.ts) and `partwise/vite` (vite.ts).
 * Never imported by the browser entries.
 */

// The three shipped entries together, each name written once in its own entry.
export * from './backend/index.ts'
export * from './reference.ts'
export * from './vite.ts'
