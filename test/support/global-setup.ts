import type { TestProject } from 'vitest/node'
import { createUploadServer } from '../../src/server/index.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the reference server, on another origin than the test page. */
    serverUrl: string
    apiKey: string
  }
}

/**
 * One reference server for the browser tests, with the control API on so that tests can inject
 * faults and read what the server received. It binds 127.0.0.1 on a free port, and the returned
 * teardown closes it and removes its data.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = createUploadServer({ control: true })
  const url = await server.listen()
  project.provide('serverUrl', url)
  project.provide('apiKey', server.apiKey)
  return () => server.close()
}
