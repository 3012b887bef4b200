/** The harness's side of the server host: starts the child and calls its commands. */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { CommandName, HostCommands, HostReply } from './host/protocol.ts'

/**
 * What the harness needs of the servers under test: their commands (prepare, begin, end,
 * verify), and their processes, whose memory is sampled during each upload. `ServerHost` runs
 * one reference server in a child; `ClusterHost` (cluster-host.ts) runs nodes behind nginx.
 */
export interface BenchHost {
  call<K extends CommandName>(
    command: K,
    args: HostCommands[K]['args'],
  ): Promise<HostCommands[K]['result']>
  /** The server processes' pids. */
  readonly serverPids: readonly number[]
  stop(): Promise<void>
}

export class ServerHost implements BenchHost {
  readonly #child: ChildProcess
  readonly #pending = new Map<number, (reply: HostReply) => void>()
  #next = 1

  private constructor(child: ChildProcess) {
    this.#child = child
    child.on('message', (reply: HostReply) => {
      this.#pending.get(reply.id)?.(reply)
      this.#pending.delete(reply.id)
    })
  }

  /** The child's pid: its CPU is the servers' CPU. */
  get pid(): number {
    return this.#child.pid ?? 0
  }

  get serverPids(): readonly number[] {
    return [this.pid]
  }

  /** `env` is added to the child's environment (the S3 store's location and credentials). */
  static async start(env: Record<string, string> = {}): Promise<ServerHost> {
    const entry = fileURLToPath(new URL('./host/server-host.ts', import.meta.url))
    const child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
      env: { ...process.env, ...env },
    })
    const host = new ServerHost(child)
    await new Promise<void>((resolve, reject) => {
      host.#pending.set(0, (reply) => (reply.ok ? resolve() : reject(new Error(reply.error))))
      child.once('exit', (code) => reject(new Error(`The server host exited (${code})`)))
    })
    return host
  }

  call<K extends CommandName>(
    command: K,
    args: HostCommands[K]['args'],
  ): Promise<HostCommands[K]['result']> {
    const id = this.#next++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, (reply) =>
        reply.ok
          ? resolve(reply.result as HostCommands[K]['result'])
          : reject(new Error(`${command}: ${reply.error}`)),
      )
      this.#child.send({ id, command, args })
    })
  }

  /** Disconnecting tells the child to close its servers and remove their files. */
  async stop(): Promise<void> {
    if (!this.#child.connected) return
    const exited = new Promise((resolve) => this.#child.once('exit', resolve))
    this.#child.disconnect()
    await exited
  }
}
