/**
 * nginx as a round-robin load balancer in front of upload server nodes, for the cluster tests.
 *
 * What a deployment needs is `nginxSite`: the README's "Deploy" section shows its output for
 * two example nodes, and test/server/readme-deploy.test.ts holds the two to one text, so the
 * configuration the README gives is the one the cluster tests run. Why each line is there is
 * said in the configuration itself, as a comment a reader of the README sees too.
 *
 * Around it the fixture keeps nginx to itself: `-p PREFIX -e PREFIX/error.log`, `daemon off`,
 * every temporary path inside the prefix (nothing read from or written to /etc/nginx or /var),
 * a loopback port, and an access log naming the node each request went to.
 *
 * nginx's own error pages (a 502 when no node answers) carry no CORS headers: a browser sees
 * a network error, which the core retries like any other.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findNginx } from '../../tooling/servers.ts'
import { exited, freePort, stopChild, track, unprivileged, waitUntil } from './processes.ts'

export interface LoadBalancer {
  /** `http://127.0.0.1:PORT`: where clients send everything. */
  readonly url: string
  /** nginx's error log so far. */
  errorLog(): string
  /** The access log: one line per request, `$request $status upstream=$upstream_addr`. */
  accessLog(): string
  /** Stops nginx by its PID and removes the prefix; idempotent. */
  stop(): Promise<void>
}

export interface LoadBalancerOptions {
  /** Upstream origins or `host:port`s, in round-robin order. */
  upstreams: readonly string[]
  /** Seconds nginx waits for a node's answer (a part may take long). @default 300 */
  readTimeout?: number
}

export interface SiteOptions {
  /** The nodes, `host:port` (or origins), in round-robin order. */
  upstreams: readonly string[]
  /** nginx's `listen` parameters: `127.0.0.1:8080`, `443 ssl`. */
  listen: string
  /** The public host name, when there is one. */
  serverName?: string
  /** The certificate and key files, for `listen … ssl`. */
  tls?: { certificate: string; key: string }
  /** Seconds nginx waits on a node's answer or the client's body. @default 300 */
  readTimeout?: number
}

/**
 * The load balancer's configuration for partwise nodes (an `upstream` and a `server` block,
 * for nginx's `http` context: a file in /etc/nginx/conf.d/, say).
 */
export function nginxSite(options: SiteOptions): string {
  const servers = options.upstreams
    .map((upstream) => upstream.replace(/^https?:\/\//, '').replace(/\/$/, ''))
    .map((address) => `  server ${address} max_fails=0;`)
  const timeout = options.readTimeout ?? 300
  return [
    '# Every node. max_fails=0 keeps each in the rotation: a request that cannot connect to one',
    '# (refused, or past proxy_connect_timeout) moves on to the next, and a node that comes back',
    '# takes requests at once, with no fail_timeout to wait out.',
    'upstream partwise {',
    ...servers,
    '  keepalive 16;',
    '}',
    'server {',
    `  listen ${options.listen};`,
    ...(options.serverName ? [`  server_name ${options.serverName};`] : []),
    ...(options.tls
      ? [
          `  ssl_certificate ${options.tls.certificate};`,
          `  ssl_certificate_key ${options.tls.key};`,
        ]
      : []),
    '  # The nodes enforce their own part and file size limits.',
    '  client_max_body_size 0;',
    '  location / {',
    '    proxy_pass http://partwise;',
    '    proxy_http_version 1.1;',
    '    proxy_set_header Connection "";',
    '    proxy_set_header Host $host;',
    "    # A part streams through to its node as it arrives, never spooled to nginx's disk; a",
    "    # node that dies mid-part cuts the client's request, which the client then retries.",
    '    proxy_request_buffering off;',
    '    proxy_buffering off;',
    '    # A request that cannot reach a node moves on to the next node. Never with',
    '    # non_idempotent: nginx then never resends a completion (a POST), and a part (a PUT)',
    "    # whose body it began to stream cannot be resent. Retries are the client's, with backoff.",
    '    proxy_next_upstream error timeout;',
    '    proxy_connect_timeout 2s;',
    `    proxy_read_timeout ${timeout}s;`,
    `    proxy_send_timeout ${timeout}s;`,
    '  }',
    '}',
    '',
  ].join('\n')
}

/** nginx.conf for the fixture: the site, inside a prefix that holds everything nginx writes. */
function config(prefix: string, port: number, options: LoadBalancerOptions, user: string): string {
  const site = nginxSite({
    upstreams: options.upstreams,
    listen: `127.0.0.1:${port}`,
    ...(options.readTimeout === undefined ? {} : { readTimeout: options.readTimeout }),
  })
  return `${user}
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  client_body_temp_path ${prefix}/temp/client_body;
  proxy_temp_path ${prefix}/temp/proxy;
  fastcgi_temp_path ${prefix}/temp/fastcgi;
  uwsgi_temp_path ${prefix}/temp/uwsgi;
  scgi_temp_path ${prefix}/temp/scgi;
  log_format upstreams '$request_method $uri $status upstream=$upstream_addr';
  access_log ${prefix}/access.log upstreams;
${site}}
`
}

/** Starts nginx on a free 127.0.0.1 port in front of `options.upstreams`. */
export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const nginx = findNginx()
  if (!nginx) throw new Error('nginx was not found (Debian: apt-get install nginx-light)')
  const prefix = mkdtempSync(join(tmpdir(), 'partwise-nginx-'))
  mkdirSync(join(prefix, 'temp'))
  const port = await freePort()
  // As root, nginx's workers drop to this user (the master only binds and reads the config).
  const account = unprivileged(['nobody'])
  const user = account ? `user ${account.name} ${groupOf(account.gid)};` : ''
  const conf = join(prefix, 'nginx.conf')
  writeFileSync(conf, config(prefix, port, options, user))
  const errorLogPath = join(prefix, 'error.log')
  const child: ChildProcess = spawn(nginx, ['-p', prefix, '-e', errorLogPath, '-c', conf], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  track(child, 'SIGTERM')
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '')
  const url = `http://127.0.0.1:${port}`
  const died = exited(child).then(() => {
    throw new Error(`nginx exited at start: ${stderr}${read(errorLogPath)}`)
  })
  died.catch(() => undefined)
  let stopped: Promise<void> | undefined
  const stop = () => {
    // SIGTERM: nginx's fast shutdown (a graceful SIGQUIT waits out idle keep-alive links).
    stopped ??= stopChild(child, 'SIGTERM', 5_000).then(() =>
      rm(prefix, { recursive: true, force: true }),
    )
    return stopped
  }
  try {
    await Promise.race([died, waitUntil('nginx to listen', () => listening(port))])
  } catch (error) {
    await stop()
    throw error
  }
  return {
    url,
    errorLog: () => read(errorLogPath),
    accessLog: () => read(join(prefix, 'access.log')),
    stop,
  }
}

/** True once something accepts a connection on the port (any HTTP answer will do). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/__nginx_probe', method: 'HEAD' },
      (res) => {
        res.resume()
        resolve(true)
      },
    )
    req.on('error', () => resolve(false))
    req.end()
  })
}

/** The group name for a gid (nginx's `user` directive wants names); Debian's nobody is nogroup. */
function groupOf(gid: number): string {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((entry) => entry.split(':')[2] === String(gid))
  return line?.split(':')[0] ?? 'nogroup'
}
