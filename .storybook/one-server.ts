import type { Plugin, ViteDevServer } from 'vite'

type Configure = (server: ViteDevServer) => void | Promise<void> | (() => void)

/**
 * Vitest's browser mode runs two Vite dev servers (the project's, in middleware mode, and the
 * one that serves the test page), and `partwiseServer` starts a reference server in each
 * `configureServer` but closes only the last, so the first keeps `vitest run` from exiting.
 * This lets the plugin configure the first server only, and has later servers hand its routes
 * (the session route) to the first. Remove once the plugin starts one server per instance.
 */
export function configureOnce(plugin: Plugin, routes: readonly string[]): Plugin {
  const configure = plugin.configureServer as Configure | undefined
  let first: ViteDevServer | undefined
  return {
    ...plugin,
    configureServer(server) {
      if (!first) {
        first = server
        return configure?.call(this, server)
      }
      const owner = first
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? ''
        if (routes.includes(path)) owner.middlewares(req, res, next)
        else next()
      })
    },
  }
}
