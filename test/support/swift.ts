/**
 * A real S3 for the tests: OpenStack Swift with its s3api middleware (Debian's swift-proxy,
 * swift-object, swift-container, swift-account and memcached), on loopback, in a temporary
 * directory, on free ports. One fixture per test file, reused by its tests.
 *
 * Swift's servers call setsid(), so stopping a process group misses them: every process is
 * recorded by PID and stopped by PID, never by name (Chromium's `--use-angle=swiftshader-webgl`
 * matches "swift").
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { findSwift, swiftPackages } from '../../tooling/swift.ts'

export interface SwiftFixture {
  /** `http://127.0.0.1:PORT`, the proxy that speaks S3. */
  endpoint: string
  accessKeyId: string
  secretAccessKey: string
  /** s3api's default location; SigV4 signs with it. */
  region: string
  /** The temporary directory: configs, rings, data and each server's log. */
  dir: string
  /** Stops every process and removes the directory. */
  stop(): Promise<void>
  /** An outage: the proxy stops; the storage servers keep their data. */
  stopProxy(): Promise<void>
  /** The proxy again, on the same port; resolves once it answers. */
  startProxy(): Promise<void>
}

// A started proxy answers in 1.5–8 s on a busy two-core machine; a cold start of four Python
// servers has been seen to take over a minute when other test suites share the two cores.
const READY_TIMEOUT_MS = 180_000
const STOP_TIMEOUT_MS = 10_000

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/**
 * One Python process builds the three one-replica rings through swift's RingBuilder, as
 * `swift-ring-builder X.builder create 10 1 1; add r1z1-127.0.0.1:PORT/d1 100; rebalance` would:
 * nine separate CLI runs cost 10+ s of interpreter start-up on a loaded machine. It must be
 * /usr/bin/python3: another python3 on the PATH may lack the swift module.
 */
const RING_SCRIPT = `
import sys
from swift.common.ring import RingBuilder
swift_dir = sys.argv[1]
for pair in sys.argv[2:]:
    name, port = pair.split('=')
    builder = RingBuilder(10, 1, 1)
    builder.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': int(port),
                     'device': 'd1', 'weight': 100, 'meta': ''})
    builder.rebalance()
    builder.save('%s/%s.builder' % (swift_dir, name))
    builder.get_ring().save('%s/%s.ring.gz' % (swift_dir, name))
`

function buildRings(dir: string, ports: Record<string, number>): Promise<void> {
  const pairs = Object.entries(ports).map(([name, port]) => `${name}=${port}`)
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', ['-c', RING_SCRIPT, dir, ...pairs], (error, _out, stderr) =>
      error
        ? reject(new Error(`Swift's rings could not be built: ${stderr || error.message}`))
        : resolve(),
    )
  })
}

// An object's container update times out after 1 s by default and is then left to an updater
// that the fixture does not run: under load, listings (ListMultipartUploads) would miss objects.
const OBJECT_EXTRA = 'container_update_timeout = 60\n'

function storageConf(dir: string, kind: 'object' | 'container' | 'account', port: number): string {
  return `[DEFAULT]
devices = ${join(dir, 'srv')}
mount_check = false
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${dir}
user = ${userInfo().username}
log_level = WARNING

[pipeline:main]
pipeline = healthcheck ${kind}-server

[filter:healthcheck]
use = egg:swift#healthcheck

[app:${kind}-server]
use = egg:swift#${kind}
${kind === 'object' ? OBJECT_EXTRA : ''}`
}

function proxyConf(dir: string, port: number, memcachedPort: number): string {
  // s3api answers 500 without `cache`; its multipart upload needs `slo` after it, and SLO's own
  // limit (1000 segments) would cap the parts below S3's 10,000.
  return `[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${port}
workers = 0
swift_dir = ${dir}
user = ${userInfo().username}
log_level = WARNING

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true
# Defaults (0.5 s to connect, 10 s to answer) turn a storage server slowed by a busy machine
# into a 503; the tests' outages are the proxy's, made on purpose.
conn_timeout = 5
node_timeout = 60
recoverable_node_timeout = 60

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:${memcachedPort}

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:s3api]
use = egg:swift#s3api
location = us-east-1
max_upload_part_num = 10000

[filter:tempauth]
use = egg:swift#tempauth
user_test_tester = testing .admin

[filter:copy]
use = egg:swift#copy

[filter:slo]
use = egg:swift#slo
max_manifest_segments = 10000

[filter:dlo]
use = egg:swift#dlo
`
}

const SWIFT_CONF = `[swift-hash]
swift_hash_path_suffix = partwise-tests
swift_hash_path_prefix = partwise-tests

[storage-policy:0]
name = Policy-0
default = yes
`

/** A process the fixture owns, with its exit as a promise. */
interface Owned {
  name: string
  child: ChildProcess
  exited: Promise<void>
}

const owned = new Set<Owned>()
let exitHookInstalled = false

/** If the test process dies without stop(), no Swift server outlives it. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const proc of owned) {
      if (proc.child.pid !== undefined) {
        try {
          process.kill(proc.child.pid, 'SIGKILL')
        } catch {}
      }
    }
  })
}

function launch(dir: string, name: string, command: string, args: string[]): Owned {
  const log = openSync(join(dir, `${name}.log`), 'a')
  const child = spawn(command, args, { stdio: ['ignore', log, log] })
  closeSync(log)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.once('error', () => resolve())
  })
  const proc: Owned = { name, child, exited }
  owned.add(proc)
  void exited.then(() => owned.delete(proc))
  return proc
}

/** SIGTERM by PID, then SIGKILL if it lingers; resolves once it has exited. */
async function terminate(proc: Owned): Promise<void> {
  const { pid, exitCode, signalCode } = proc.child
  if (pid === undefined || exitCode !== null || signalCode !== null) return
  try {
    process.kill(pid, 'SIGTERM')
  } catch {
    return
  }
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), STOP_TIMEOUT_MS)
  })
  if ((await Promise.race([proc.exited, late])) === 'late') {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
    await proc.exited
  }
  clearTimeout(timer)
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `GET /healthcheck` until it answers 200, or fails naming the server and its log. */
async function waitHealthy(dir: string, proc: Owned, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
      throw new Error(`Swift's ${proc.name} exited at start: see ${join(dir, `${proc.name}.log`)}`)
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthcheck`, {
        signal: AbortSignal.timeout(2_000),
      })
      await response.arrayBuffer()
      if (response.ok) return
    } catch {}
    await sleep(100)
  }
  throw new Error(
    `Swift's ${proc.name} did not answer within ${READY_TIMEOUT_MS} ms: see ${join(dir, `${proc.name}.log`)}`,
  )
}

async function waitListening(proc: Owned, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited at start`)
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (ok) return
    await sleep(50)
  }
  throw new Error(`${proc.name} did not listen within ${READY_TIMEOUT_MS} ms`)
}

/** Starts memcached, the three storage servers and the proxy; resolves once S3 answers. */
export async function startSwift(): Promise<SwiftFixture> {
  if (!findSwift()) {
    throw new Error(
      `Swift is not installed: \`apt-get install ${swiftPackages.join(' ')}\` (npm test installs them as root)`,
    )
  }
  installExitHook()
  const dir = mkdtempSync(join(tmpdir(), 'partwise-swift-'))
  mkdirSync(join(dir, 'srv', 'd1'), { recursive: true })
  const ports = {
    object: await freePort(),
    container: await freePort(),
    account: await freePort(),
    proxy: await freePort(),
    memcached: await freePort(),
  }
  const processes: Owned[] = []
  let proxy: Owned | undefined
  const stopAll = async (): Promise<void> => {
    await Promise.all([...processes, ...(proxy ? [proxy] : [])].map(terminate))
  }
  try {
    writeFileSync(join(dir, 'swift.conf'), SWIFT_CONF)
    const memcachedArgs = ['-l', '127.0.0.1', '-p', String(ports.memcached), '-U', '0', '-m', '16']
    if (process.getuid?.() === 0) memcachedArgs.push('-u', 'root')
    const memcached = launch(dir, 'memcached', '/usr/bin/memcached', memcachedArgs)
    processes.push(memcached)
    // The storage servers read no ring at start, so they boot while the rings are built; the
    // proxy reads them at start.
    const storage = (['object', 'container', 'account'] as const).map((kind) => {
      const conf = join(dir, `${kind}-server.conf`)
      writeFileSync(conf, storageConf(dir, kind, ports[kind]))
      const proc = launch(dir, `${kind}-server`, `/usr/bin/swift-${kind}-server`, [conf, '-v'])
      processes.push(proc)
      return waitHealthy(dir, proc, ports[kind])
    })
    // Awaited below; until then a failure here must not count as unhandled.
    for (const ready of storage) ready.catch(() => undefined)
    await buildRings(dir, {
      object: ports.object,
      container: ports.container,
      account: ports.account,
    })
    writeFileSync(join(dir, 'proxy-server.conf'), proxyConf(dir, ports.proxy, ports.memcached))
    const startProxy = async (): Promise<void> => {
      if (proxy && proxy.child.exitCode === null && proxy.child.signalCode === null) return
      proxy = launch(dir, 'proxy-server', '/usr/bin/swift-proxy-server', [
        join(dir, 'proxy-server.conf'),
        '-v',
      ])
      await waitHealthy(dir, proxy, ports.proxy)
    }
    await Promise.all([waitListening(memcached, ports.memcached), ...storage, startProxy()])
    return {
      endpoint: `http://127.0.0.1:${ports.proxy}`,
      accessKeyId: 'test:tester',
      secretAccessKey: 'testing',
      region: 'us-east-1',
      dir,
      startProxy,
      async stopProxy() {
        if (proxy) await terminate(proxy)
      },
      async stop() {
        await stopAll()
        rmSync(dir, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await stopAll()
    throw error
  }
}
