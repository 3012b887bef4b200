import { storybookTest } from '@storybook/addon-vitest/vitest-plugin'
import react from '@vitejs/plugin-react'
import { playwright } from '@vitest/browser-playwright'
import { defineConfig } from 'vitest/config'
import { chromiumLaunchOptions } from './tooling/chromium.ts'

/** Everything the library build must leave to the app or to Node. */
const external = [
  /^node:/,
  /^react($|\/)/,
  /^react-dom($|\/)/,
  '@tanstack/react-query',
  'better-sqlite3',
  'pg',
  /^@aws-sdk\//,
  'busboy',
  'file-type',
  'image-size',
  'mp4box',
  /^music-metadata($|\/)/,
]

/** The entries that run only in the browser's React tree (`'use client'`). */
const CLIENT_ENTRIES = new Set(['react', 'react-query'])

/**
 * Headless Debian Chromium for Vitest's browser mode. A function, so that each project gets a
 * fresh object: sharing one browser config between projects fails.
 */
function chromiumBrowser() {
  return {
    enabled: true,
    headless: true,
    screenshotFailures: false,
    provider: playwright({ launchOptions: chromiumLaunchOptions() }),
    instances: [{ browser: 'chromium' as const }],
  }
}

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: {
        index: 'src/core/index.ts',
        react: 'src/react/index.ts',
        'react-query': 'src/react/query.ts',
        element: 'src/element/index.ts',
        server: 'src/server/backend/index.ts',
        'reference-server': 'src/server/reference.ts',
        vite: 'src/server/vite.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external,
      output: {
        // React Server Components: the React entries hold hooks, so a Server Component that
        // renders `<Upload>` must get a client reference, not the module (#17). The bundler
        // drops module-level directives from the sources; a banner puts it back on the entry.
        banner: (chunk) => (chunk.isEntry && CLIENT_ENTRIES.has(chunk.name) ? "'use client';" : ''),
      },
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'test/unit/**/*.test.{ts,tsx}',
            'test/server/**/*.test.ts',
            'test/reliability/**/*.test.ts',
          ],
          environment: 'node',
          // A bound for a hang, not for speed: the HTTP property tests (150 requests each) take
          // about a second idle and over five beside a busy neighbour on two cores.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // Real PostgreSQL, Swift (s3api), nginx and server nodes as processes (test/support/cluster.ts).
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Each file runs a whole cluster; two at once would fight over two cores.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          // Page loads through Vite's dev server and whole uploads: 5-25 s each on a two-core
          // machine with a load average of 20; the waits inside give up at 60 s.
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Each file drives its own Chromium; two at once would fight over two cores.
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          // A Next.js 16 app with the packed partwise: `next build`, `next start`, one upload in
          // Chromium (test/next). Slow (a pack and a production build: 1-3 min), so on its own.
          name: 'next',
          include: ['test/next/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.{ts,tsx}'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 30_000,
          // One reference server serves every file; its fault rules are global, so files take turns.
          fileParallelism: false,
          browser: chromiumBrowser(),
        },
      },
      {
        extends: true,
        test: {
          // The published Storybook (`storybook build`), served as static files and read in
          // Chromium (Playwright): no story in an error state, the live ones uploading in the page.
          name: 'storybook-static',
          include: ['test/storybook/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        // The stories' play functions, as tests (the live ones start their own reference server).
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: {
          name: 'storybook',
          testTimeout: 30_000,
          // The live stories share one reference server whose fault rules are global: one at a time.
          fileParallelism: false,
          browser: chromiumBrowser(),
        },
      },
    ],
  },
})
