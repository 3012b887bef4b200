import { existsSync } from 'node:fs'

/**
 * OpenStack Swift with its s3api middleware: the real S3 the storage tests run against.
 * Debian installs these programs; `python3-swift` comes with them, for /usr/bin/python3.
 */
export const swiftPrograms = [
  '/usr/bin/swift-proxy-server',
  '/usr/bin/swift-object-server',
  '/usr/bin/swift-container-server',
  '/usr/bin/swift-account-server',
  '/usr/bin/memcached',
] as const

export const swiftPackages = [
  'swift-proxy',
  'swift-object',
  'swift-container',
  'swift-account',
  'memcached',
] as const

/** For tooling/debian.ts: true when every program is there. */
export const findSwift = (): boolean => swiftPrograms.every((program) => existsSync(program))
