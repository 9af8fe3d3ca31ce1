import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public internet. */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved' | 'invalid';

type Range = readonly [base: string, prefix: number, cls: AddressClass];

// The refused ranges, each once. A caller's URL must not reach this machine, the function's VPC, the
// Lambda runtime API or the credential endpoints, nor an address that is not routed on the internet.
// IPv4, from the IANA special-purpose registry:
const V4_RANGES: readonly Range[] = [
  ['0.0.0.0', 8, 'unspecified'], // "this network": 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8, 'private'], // RFC 1918
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT, used inside cloud networks
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // 169.254.169.254 instance metadata, 169.254.170.2 container credentials
  ['172.16.0.0', 12, 'private'], // RFC 1918
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // TEST-NET-1, documentation
  ['192.88.99.0', 24, 'reserved'], // the withdrawn 6to4 relay anycast
  ['192.168.0.0', 16, 'private'], // RFC 1918
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // TEST-NET-2
  ['203.0.113.0', 24, 'reserved'], // TEST-NET-3
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // future use, and 255.255.255.255 broadcast
];

// IPv6 forms that carry an IPv4 address reach that address, so each IPv4 range above is refused inside
// each of them too; their other addresses are as public as the IPv4 address they carry.
const V4_EMBEDDINGS: ReadonlyArray<readonly [prefix: string, bits: number, embed: (v4: string) => string]> = [
  ['::ffff:0:0', 96, (v4) => `::ffff:${v4}`], // IPv4-mapped: a dual-stack socket connects to the IPv4 address
  ['64:ff9b::', 96, (v4) => `64:ff9b::${v4}`], // NAT64 well-known prefix: a NAT64 gateway forwards to it
  ['2002::', 16, sixToFour], // 6to4: the IPv4 address follows the prefix (16 bits, then 32)
];

// IPv6 outside those forms must be global unicast (2000::/3, see GLOBAL below) and outside these.
// The first match wins, in CLASS_ORDER: :: and ::1 lie inside ::/96.
const V6_RANGES: readonly Range[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved'], // the deprecated IPv4-compatible form ::a.b.c.d
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64 (RFC 8215): translates into private networks
  ['fc00::', 7, 'private'], // unique local; fd00:ec2::254 is the EC2 metadata endpoint
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'private'], // the deprecated site-local
  ['ff00::', 8, 'multicast'],
  ['2001::', 23, 'reserved'], // IETF protocol assignments, Teredo (2001::/32) among them
  ['2001:db8::', 32, 'reserved'], // documentation
  ['3fff::', 20, 'reserved'], // documentation (RFC 9637)
];

const CLASS_ORDER: readonly AddressClass[] = [
  'unspecified',
  'loopback',
  'link-local',
  'private',
  'multicast',
  'reserved',
];

// BlockList also matches an IPv4 address against IPv4-mapped rules and the reverse, so both spellings of
// one address land in one class whichever family they are checked as.
const BY_CLASS = new Map(CLASS_ORDER.map((cls) => [cls, new BlockList()]));
for (const [base, prefix, cls] of V4_RANGES) {
  const list = BY_CLASS.get(cls)!;
  list.addSubnet(base, prefix, 'ipv4');
  for (const [, bits, embed] of V4_EMBEDDINGS) list.addSubnet(embed(base), bits + prefix, 'ipv6');
}
for (const [base, prefix, cls] of V6_RANGES) BY_CLASS.get(cls)!.addSubnet(base, prefix, 'ipv6');

// Where an IPv6 address that no range refused is public: global unicast, and the IPv4 embeddings.
const GLOBAL = new BlockList();
GLOBAL.addSubnet('2000::', 3, 'ipv6');
for (const [prefix, bits] of V4_EMBEDDINGS) GLOBAL.addSubnet(prefix, bits, 'ipv6');

/** Whether an IP address (v4 or v6, brackets and zone id tolerated) is on the public internet. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === undefined;
}

/**
 * The class of a non-public address, or undefined for a public one. IPv4 follows the IANA
 * special-purpose registry; IPv6 must be global unicast (2000::/3) outside its special blocks, and
 * forms that embed an IPv4 address (mapped, NAT64, 6to4) are judged by the IPv4 address they reach.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return 'invalid';
  const family = version === 6 ? 'ipv6' : 'ipv4';
  for (const cls of CLASS_ORDER) if (BY_CLASS.get(cls)!.check(bare, family)) return cls;
  return family === 'ipv6' && !GLOBAL.check(bare, 'ipv6') ? 'reserved' : undefined;
}

function sixToFour(v4: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  return `2002:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}::`;
}
