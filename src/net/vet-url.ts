import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InputFetchError, InputRefusedError, InvalidArgumentsError } from '../errors/index.js';
import { classifyAddress, type AddressClass } from './address-policy.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to, as `dns.lookup(name, { all: true })` gives them. */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** What one hop is checked against: the scheme, the addresses a fetch may reach, and how names resolve. */
export interface HopPolicy {
  readonly allowHttp: boolean;
  readonly isAllowedAddress: (address: string) => boolean;
  readonly lookup: HostLookup;
}

/** A URL that passed the policy, with the addresses its host was checked at (the only ones to connect to). */
export interface VettedUrl {
  readonly url: URL;
  readonly addresses: readonly ResolvedAddress[];
}

const CLASS_PHRASES: Record<AddressClass | 'disallowed', string> = {
  loopback: 'a loopback address (this machine)',
  private: 'a private network address',
  'link-local': 'a link-local address (where cloud metadata and credential endpoints live)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or special-purpose address',
  invalid: 'an address that is not valid',
  disallowed: 'an address this server does not fetch from',
};

/**
 * Checks one hop, the first (`hop` 0, the caller's URL) or a redirect: the scheme, credentials in the
 * URL, and every address the host resolves to. Refusals name the class of address, never the address.
 */
export async function vetUrl(raw: string, hop: number, signal: AbortSignal, policy: HopPolicy): Promise<VettedUrl> {
  const where = hop === 0 ? 'the URL' : 'a redirect';
  if (!URL.canParse(raw)) {
    if (hop === 0)
      throw new InvalidArgumentsError('url must be an absolute URL such as https://example.com/audio.mp3.');
    throw new InputFetchError('the server redirected to an address that is not a valid URL');
  }
  const url = new URL(raw);
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    const scheme = url.protocol.replace(/:$/, '');
    const named = scheme.length <= 10 ? `${scheme}://` : 'another scheme';
    throw new InputRefusedError(`only https URLs are accepted, and ${where} uses ${named}`);
  }
  if (url.username || url.password)
    throw new InputRefusedError(`${where} carries a user name or password; use a link that needs none`);

  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host);
  if (literal) {
    if (!policy.isAllowedAddress(host)) throw new InputRefusedError(`${where} points to ${phraseFor(host)}`);
    return { url, addresses: [{ address: host, family: literal === 6 ? 6 : 4 }] };
  }
  const name = host.toLowerCase().replace(/\.$/, '');
  // RFC 6761: every *.localhost name is loopback, whatever a resolver says.
  if (name === 'localhost' || name.endsWith('.localhost'))
    throw new InputRefusedError(`${where} points to ${CLASS_PHRASES.loopback}`);

  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await raceAbort(policy.lookup(name), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new InputFetchError(`the host name in ${where} does not resolve`, { cause: error });
  }
  if (addresses.length === 0) throw new InputFetchError(`the host name in ${where} does not resolve`);
  // Every address, not only the first: the connection may use any of them (happy eyeballs).
  const refused = addresses.find((a) => !policy.isAllowedAddress(a.address));
  if (refused) throw new InputRefusedError(`the host name in ${where} resolves to ${phraseFor(refused.address)}`);
  return { url, addresses };
}

/** Name resolution through node:dns (getaddrinfo), every address of the name. */
export const systemLookup: HostLookup = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

function phraseFor(address: string): string {
  return CLASS_PHRASES[classifyAddress(address) ?? 'disallowed'];
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
