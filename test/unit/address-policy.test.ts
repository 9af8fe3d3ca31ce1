import { describe, expect, it } from 'vitest';
import { InputRefusedError, InvalidArgumentsError } from '../../src/errors/index.js';
import {
  classifyAddress,
  createSafeFetcher,
  isPublicAddress,
  type HostLookup,
  type ResolvedAddress,
} from '../../src/net/safe-fetch.js';

describe('the public-address policy', () => {
  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1', // just past 172.16/12
    '100.128.0.1', // just past 100.64/10
    '169.253.255.255',
    '2606:4700::1111',
    '2a00:1450:4001:81b::200e',
    '::ffff:93.184.216.34', // IPv4-mapped public
    '64:ff9b::5db8:d822', // NAT64 of 93.184.216.34
    '2002:5db8:d822::1', // 6to4 of 93.184.216.34
  ])('allows the public address %s', (address) => {
    expect(classifyAddress(address)).toBeUndefined();
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.255', 'private'],
    ['169.254.169.254', 'link-local'], // EC2/Lambda instance metadata
    ['169.254.170.2', 'link-local'], // container credentials endpoint
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'], // EC2 IPv6 metadata
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'], // the same, as the URL parser writes it
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::127.0.0.1', 'reserved'], // deprecated IPv4-compatible form
    ['64:ff9b::a9fe:a9fe', 'link-local'], // NAT64 of 169.254.169.254
    ['64:ff9b:1::1', 'private'],
    ['2002:a9fe:a9fe::', 'link-local'], // 6to4 of 169.254.169.254
    ['2002:0a00:0001::1', 'private'], // 6to4 of 10.0.0.1
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'], // Teredo
    ['3fff::1', 'reserved'],
    ['100::1', 'reserved'],
    ['not-an-address', 'invalid'],
    ['999.1.1.1', 'invalid'],
  ])('refuses %s as %s', (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
    expect(isPublicAddress(address)).toBe(false);
  });
});

/** A resolver for tests: answers from a table, records what it was asked, never touches real DNS. */
function tableLookup(table: Record<string, ResolvedAddress[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (hostname: string) => {
    asked.push(hostname);
    const answer = table[hostname];
    if (!answer) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answer;
  };
  return Object.assign(lookup, { asked });
}

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 });
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 });

describe('the production fetcher refuses before connecting', () => {
  const lookup = tableLookup({
    'internal.example.com': [v4('10.0.0.5')],
    'metadata.example.com': [v4('169.254.169.254')],
    'mixed.example.com': [v4('93.184.216.34'), v4('192.168.0.10')],
    'v6-local.example.com': [v6('fd00::5')],
    'mapped.example.com': [v6('::ffff:127.0.0.1')],
    'public.example.com': [v4('93.184.216.34'), v6('2606:4700::1111')],
  });
  const fetcher = createSafeFetcher({ lookup });
  const limits = () => ({ maxBytes: 1024, signal: AbortSignal.timeout(5_000) });

  it.each([
    ['https://127.0.0.1/a.mp3', /loopback/],
    ['https://10.0.0.1/a.mp3', /private network/],
    ['https://169.254.169.254/latest/meta-data/', /link-local/],
    ['https://169.254.170.2/v2/credentials', /link-local/],
    ['https://[::1]/a.mp3', /loopback/],
    ['https://[::ffff:127.0.0.1]/a.mp3', /loopback/],
    ['https://[fd00:ec2::254]/latest/meta-data/', /private network/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://2130706433/a.mp3', /loopback/], // 127.0.0.1 written as one number
    ['https://0x7f.1/a.mp3', /loopback/],
    ['https://localhost/a.mp3', /loopback/],
    ['https://LOCALHOST./a.mp3', /loopback/],
    ['https://api.localhost/a.mp3', /loopback/],
    ['https://internal.example.com/a.mp3', /host name in the URL resolves to a private network address/],
    ['https://metadata.example.com/', /resolves to a link-local address/],
    ['https://mixed.example.com/a.mp3', /resolves to a private network address/], // one bad address is enough
    ['https://v6-local.example.com/a.mp3', /private network/],
    ['https://mapped.example.com/a.mp3', /loopback/],
    ['http://public.example.com/a.mp3', /only https URLs are accepted, and the URL uses http:\/\//],
    ['ftp://public.example.com/a.mp3', /only https URLs are accepted, and the URL uses ftp:\/\//],
    ['file:///etc/passwd', /only https URLs are accepted, and the URL uses file:\/\//],
    ['https://user:secret@public.example.com/a.mp3', /user name or password/],
  ])('refuses %s', async (url, reason) => {
    for (const attempt of [fetcher.fetch(url, limits()), fetcher.check(url, { signal: AbortSignal.timeout(5_000) })]) {
      const error = await attempt.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InputRefusedError);
      const message = (error as Error).message;
      expect(message).toMatch(reason);
      expect(message).toContain('create_upload_url');
      // Only the class of the address, never the address a name resolved to.
      for (const leaked of ['10.0.0.5', '192.168.0.10', 'fd00::5', '169.254.169.254']) {
        if (!url.includes(leaked)) expect(message).not.toContain(leaked);
      }
    }
  });

  it('resolves names only through the injected lookup, and not at all for literals and refused schemes', async () => {
    lookup.asked.length = 0;
    await fetcher.check('https://127.0.0.1/', { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    await fetcher.check('ftp://internal.example.com/', { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    await fetcher.check('https://localhost/', { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    expect(lookup.asked).toEqual([]);
    await fetcher.check('https://internal.example.com/', { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    expect(lookup.asked).toEqual(['internal.example.com']);
  });

  it('passes a public https URL without downloading it (for ElevenLabs to fetch)', async () => {
    await expect(
      fetcher.check('https://public.example.com/talk.mp3?x=1', { signal: AbortSignal.timeout(5_000) }),
    ).resolves.toBe('https://public.example.com/talk.mp3?x=1');
  });

  it('reports a name that does not resolve as a download failure, and a malformed URL as a bad argument', async () => {
    await expect(
      fetcher.check('https://nowhere.example.com/a.mp3', { signal: AbortSignal.timeout(5_000) }),
    ).rejects.toThrow(/does not resolve/);
    await expect(fetcher.check('not a url', { signal: AbortSignal.timeout(5_000) })).rejects.toBeInstanceOf(
      InvalidArgumentsError,
    );
  });
});
