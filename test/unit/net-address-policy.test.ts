import { describe, expect, it } from 'vitest';
import { classifyAddress, isPublicAddress, type AddressClass } from '../../src/net/address-policy.js';

// Every refused IPv4 range with its first and last address, and a public neighbour where one exists.
const V4: ReadonlyArray<readonly [range: string, first: string, last: string, cls: AddressClass]> = [
  ['0.0.0.0/8', '0.0.0.0', '0.255.255.255', 'unspecified'],
  ['10.0.0.0/8', '10.0.0.0', '10.255.255.255', 'private'],
  ['100.64.0.0/10', '100.64.0.0', '100.127.255.255', 'private'],
  ['127.0.0.0/8', '127.0.0.0', '127.255.255.255', 'loopback'],
  ['169.254.0.0/16', '169.254.0.0', '169.254.255.255', 'link-local'],
  ['172.16.0.0/12', '172.16.0.0', '172.31.255.255', 'private'],
  ['192.0.0.0/24', '192.0.0.0', '192.0.0.255', 'reserved'],
  ['192.0.2.0/24', '192.0.2.0', '192.0.2.255', 'reserved'],
  ['192.88.99.0/24', '192.88.99.0', '192.88.99.255', 'reserved'],
  ['192.168.0.0/16', '192.168.0.0', '192.168.255.255', 'private'],
  ['198.18.0.0/15', '198.18.0.0', '198.19.255.255', 'reserved'],
  ['198.51.100.0/24', '198.51.100.0', '198.51.100.255', 'reserved'],
  ['203.0.113.0/24', '203.0.113.0', '203.0.113.255', 'reserved'],
  ['224.0.0.0/4', '224.0.0.0', '239.255.255.255', 'multicast'],
  ['240.0.0.0/4', '240.0.0.0', '255.255.255.255', 'reserved'],
];

const PUBLIC_V4 = [
  ...[
    '1.0.0.1',
    '9.255.255.255',
    '11.0.0.0',
    '100.63.255.255',
    '100.128.0.0',
    '126.255.255.255',
    '128.0.0.0',
    '169.253.255.255',
  ],
  ...[
    '169.255.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '192.0.1.0',
    '192.0.3.0',
    '192.88.98.255',
    '192.88.100.0',
    '192.167.255.255',
  ],
  ...[
    '192.169.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '198.51.99.255',
    '198.51.101.0',
    '203.0.112.255',
    '203.0.114.0',
    '223.255.255.255',
  ],
  '93.184.216.34',
];

const hexPair = (v4: string): [string, string] => {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};
/** The IPv6 spellings that reach an IPv4 address: mapped (dotted, and hex as the URL parser writes it), NAT64, 6to4. */
const embeddings = (v4: string): string[] => {
  const [high, low] = hexPair(v4);
  const mapped = [`::ffff:${v4}`, `::ffff:${high}:${low}`, `::FFFF:${v4}`, `0:0:0:0:0:ffff:${v4}`];
  return [...mapped, `64:ff9b::${v4}`, `64:ff9b::${high}:${low}`, `2002:${high}:${low}::1`];
};

describe('the address policy, IPv4', () => {
  it.each(V4)('refuses %s, first to last, as %s', (_range, first, last, cls) => {
    expect(classifyAddress(first)).toBe(cls);
    expect(classifyAddress(last)).toBe(cls);
    expect(isPublicAddress(first)).toBe(false);
  });

  it.each(PUBLIC_V4)('allows the public %s', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('the address policy, IPv6 forms that reach an IPv4 address', () => {
  it.each(V4)('refuses %s in every embedding as %s', (_range, first, last, cls) => {
    for (const address of [...embeddings(first), ...embeddings(last)])
      expect(classifyAddress(address), address).toBe(cls);
  });

  it.each(['169.254.169.254', '169.254.170.2', '127.0.0.1', '10.0.0.1'])(
    'refuses %s in every embedding, with brackets too',
    (v4) => {
      for (const address of embeddings(v4)) {
        expect(isPublicAddress(address), address).toBe(false);
        expect(isPublicAddress(`[${address}]`), address).toBe(false);
      }
    },
  );

  it.each(PUBLIC_V4)('allows the public %s in every embedding', (v4) => {
    for (const address of embeddings(v4)) expect(classifyAddress(address), address).toBeUndefined();
  });

  it(
    'refuses the deprecated IPv4-compatible form whatever address it carries, and ::ffff:0:a.b.c.d ' +
      '(IPv4-translated)',
    () => {
      for (const address of [
        '::93.184.216.34',
        '::127.0.0.1',
        '::10.0.0.1',
        '::0.0.0.2',
        '::ffff:0:93.184.216.34',
        '::ffff:0:127.0.0.1',
      ]) {
        expect(classifyAddress(address), address).toBe('reserved');
      }
    },
  );
});

describe('the address policy, IPv6', () => {
  it.each([
    ['::', 'unspecified'],
    ['0:0:0:0:0:0:0:0', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::2', 'reserved'], // inside ::/96
    ['::ffff', 'reserved'],
    ['64:ff9b:1::', 'private'], // local-use NAT64
    ['64:ff9b:1:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['64:ff9b:2::1', 'reserved'], // past both NAT64 prefixes, outside 2000::/3
    ['fc00::', 'private'],
    ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
    ['fd00:ec2::254', 'private'], // EC2 IPv6 metadata
    ['fe80::', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['[fe80::1%25eth0]', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::', 'private'],
    ['feff:ffff::1', 'private'],
    ['ff00::', 'multicast'],
    ['ff02::1', 'multicast'],
    ['2001::', 'reserved'], // Teredo
    ['2001:1ff:ffff::1', 'reserved'], // the end of 2001::/23
    ['2001:db8::', 'reserved'],
    ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'reserved'],
    ['3fff::', 'reserved'],
    ['3fff:fff:ffff::1', 'reserved'],
    ['100::1', 'reserved'], // outside 2000::/3
    ['1fff:ffff::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['fbff::1', 'reserved'],
  ] as const)('refuses %s as %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
    expect(isPublicAddress(address)).toBe(false);
  });

  const globalUnicast = [
    '2000::1',
    '2001:200::1',
    '2001:db7:ffff::1',
    '2001:db9::1',
    '2003::1',
    '3ffe::1',
    '3fff:1000::1',
  ];
  it.each([...globalUnicast, '2606:4700::1111', '2a00:1450:4001:81b::200e'])(
    'allows the global unicast %s',
    (address) => {
      expect(classifyAddress(address)).toBeUndefined();
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('the address policy, not addresses', () => {
  const notAddresses = [
    '',
    'example.com',
    '999.1.1.1',
    '1.2.3',
    '01.2.3.4',
    '::ffff:1.2.3.256',
    '1::2::3',
    '[1.2.3.4]x',
  ];
  it.each(notAddresses)('calls %j invalid', (address) => {
    expect(classifyAddress(address)).toBe('invalid');
    expect(isPublicAddress(address)).toBe(false);
  });
});
