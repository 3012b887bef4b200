import type { StorybookConfig } from '@storybook/react-vite'
import { partwiseServer } from '../src/server/index.ts'

/** Where the stories ask for an upload URL, as an app asks its own backend. */
const SESSION_ROUTE = '/api/upload-session'

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.tsx'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  // TypeScript 7 has no JS API for react-docgen-typescript: react-docgen reads the props instead.
  typescript: { reactDocgen: 'react-docgen' },
  core: { disableTelemetry: true },
  // The live stories upload to the reference server, which this plugin runs beside the dev
  // server (`storybook dev`, and the Vitest `storybook` project), with the control API on for the
  // fault stories. Its session route keeps the API key on the server side; the stories read the
  // server's origin from `virtual:partwise-server` ('' in a static build: no live uploads).
  viteFinal: (viteConfig) => ({
    ...viteConfig,
    plugins: [
      ...(viteConfig.plugins ?? []),
      // One reference server however many dev servers Vitest's browser mode starts on this config.
      // Resumable sessions: `<partwise-upload session>` posts only the file's name, size and type,
      // and uploads in parts, as an app's own route would be set up for it.
      partwiseServer({ control: true, sessionRoute: SESSION_ROUTE, session: { resumable: true } }),
    ],
  }),
}

export default config
