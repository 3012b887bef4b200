/** The messages between the harness and the server host process (Node IPC, JSON). */
import type { ClientKind, PartLimits } from '../types.ts'
import type { WireRecord } from './wire-tap.ts'

export interface HostInfo {
  /** The reference server's origin. */
  origin: string
}

export interface RunWindow {
  /** CPU the host process spent (every server in it, user + system), in seconds. */
  cpuSeconds: number
  records: WireRecord[]
}

export interface Digest {
  sha256: string
  size: number
}

export interface HostCommands {
  info: { args: null; result: HostInfo }
  /**
   * Where a client of `kind` sends the next upload (a fresh session when there are any);
   * `route: 'balancer'`: through the load balancer (`--nodes 2`).
   */
  prepare: {
    args: { kind: ClientKind; route?: 'balancer' }
    result: { url: string; partLimits?: PartLimits }
  }
  /** Starts a measurement window: clears the wire records, notes the CPU used so far. */
  begin: { args: null; result: null }
  end: { args: null; result: RunWindow }
  /** Hashes what the server stored for the upload, then deletes it. */
  verify: { args: { kind: ClientKind; url: string; remoteId: string | null }; result: Digest }
}

export type CommandName = keyof HostCommands

export interface HostRequest {
  id: number
  command: CommandName
  args: unknown
}

export type HostReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string }
