import { BlockList, isIP } from 'node:net'

/**
 * Addresses a server-side fetch must not reach unless the operator allows it: loopback,
 * private, shared (CGNAT), link-local (cloud metadata services live at 169.254.169.254),
 * documentation, benchmarking, multicast and reserved ranges, after the IANA special-purpose
 * registries. Node's BlockList also applies the IPv4 rules to IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`).
 */
const IPV4: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
]

/** The IPv6 ranges that embed an IPv4 address by tunnelling (6to4, Teredo) are refused whole. */
const IPV6: ReadonlyArray<[string, number]> = [
  ['::', 96],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
]

const blocked = new BlockList()
for (const [network, prefix] of IPV4) blocked.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of IPV6) blocked.addSubnet(network, prefix, 'ipv6')

/** NAT64 (`64:ff9b::/96`) carries an IPv4 address in its last 32 bits: that one is judged. */
function nat64Target(address: string): string | null {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1)
  const match = /^64:ff9b::(?:([0-9a-f]{1,4}):)?([0-9a-f]{1,4})$/.exec(canonical)
  if (!match) return null
  const high = Number.parseInt(match[1] ?? '0', 16)
  const low = Number.parseInt(match[2] ?? '0', 16)
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.')
}

/** True for an IP address on the public internet; false for anything else, non-IPs included. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address)
  if (family === 0) return false
  if (family === 4) return !blocked.check(address, 'ipv4')
  const embedded = nat64Target(address)
  if (embedded !== null) return isPublicAddress(embedded)
  return !blocked.check(address, 'ipv6')
}
