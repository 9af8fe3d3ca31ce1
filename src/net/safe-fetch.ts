import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { InputFetchError, InputRefusedError, InputTooLargeError, InvalidArgumentsError, ToolError } from '../errors/index.js';
import { VERSION } from '../version.js';
import { readBounded } from './read-bounded.js';
import { expiryOf, Watchdog } from './watchdog.js';

/**
 * Downloads caller-supplied URLs without letting a caller reach anything but the public internet from
 * inside the function's network (the Lambda runtime API, the credentials endpoint, a VPC's hosts).
 * Every hop is checked after DNS resolution and the connection goes to the very address that was
 * checked, so a name that resolves differently on a second lookup (DNS rebinding) gains nothing.
 */

/** Why an address is not on the public internet. */
export type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved' | 'invalid';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address a host name resolves to, as `dns.lookup(name, { all: true })` gives them. */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export interface SafeFetchOptions {
  /** Tests only: accept http:// URLs (local test servers have no certificates). Production: https only. */
  readonly allowHttp?: boolean;
  /** Tests only: replaces the public-address policy (e.g. to admit a test server on 127.0.0.1). */
  readonly isAllowedAddress?: (address: string) => boolean;
  /** Name resolution; node:dns lookup by default. Tests inject one instead of depending on real DNS. */
  readonly lookup?: HostLookup;
  readonly maxRedirects?: number;
  /** An upper bound on one download, whatever time the caller's signal leaves. */
  readonly timeoutMs?: number;
  /** How long the server may take to send its response headers (each hop). */
  readonly firstByteMs?: number;
  /** How long the body may go without a byte once it has started. */
  readonly idleMs?: number;
}

export interface FetchLimits {
  readonly maxBytes: number;
  /** Aborts the download (resolution, connection and body) when it fires. */
  readonly signal: AbortSignal;
}

export interface FetchedFile {
  readonly bytes: Uint8Array;
  /** The URL the bytes came from, after redirects. */
  readonly url: string;
  /** The response's media type without parameters, lower-case; undefined when the server sent none. */
  readonly contentType: string | undefined;
  /** From Content-Disposition, else the last path segment of the final URL. */
  readonly filename: string | undefined;
}

export interface SafeFetcher {
  /** Downloads a public URL, following at most `maxRedirects` redirects, each checked like the first. */
  fetch(url: string, limits: FetchLimits): Promise<FetchedFile>;
  /**
   * Checks a URL that someone else (ElevenLabs) will fetch: same scheme and address policy, nothing
   * downloaded. Returns the normalized URL.
   */
  check(url: string, options: { readonly signal: AbortSignal }): Promise<string>;
}

export const DEFAULT_MAX_REDIRECTS = 5;
/**
 * One download at most 45 s: a tool that downloads still has to call ElevenLabs, and MCP clients give up
 * on a request after 60 s by default (100 MiB in 45 s is 2.3 MB/s, slow for a server that serves files).
 */
export const DEFAULT_FETCH_TIMEOUT_MS = 45_000;
/** A server that has not started answering in 10 s, or goes 10 s without a byte, is not worth waiting for. */
export const DEFAULT_FIRST_BYTE_MS = 10_000;
export const DEFAULT_IDLE_MS = 10_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
 * The production fetcher: https only, public addresses only, 5 redirects, 45 s at most (10 s to the
 * response headers, 10 s at most between two chunks of the body). The options
 * exist for tests, which need plain http and a loopback server; nothing in the function passes them.
 */
export function createSafeFetcher(options: SafeFetchOptions = {}): SafeFetcher {
  const lookup = options.lookup ?? systemLookup;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const firstByteMs = options.firstByteMs ?? DEFAULT_FIRST_BYTE_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const allowed = options.isAllowedAddress ?? isPublicAddress;

  // Every hop goes through here, the first and each redirect alike.
  const vet = async (raw: string, hop: number, signal: AbortSignal): Promise<{ url: URL; addresses: readonly ResolvedAddress[] }> => {
    const where = hop === 0 ? 'the URL' : 'a redirect';
    if (!URL.canParse(raw)) {
      if (hop === 0) throw new InvalidArgumentsError('url must be an absolute URL such as https://example.com/audio.mp3.');
      throw new InputFetchError('the server redirected to an address that is not a valid URL');
    }
    const url = new URL(raw);
    if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
      const scheme = url.protocol.replace(/:$/, '');
      throw new InputRefusedError(`only https URLs are accepted, and ${where} uses ${scheme.length <= 10 ? `${scheme}://` : 'another scheme'}`);
    }
    if (url.username || url.password) throw new InputRefusedError(`${where} carries a user name or password; use a link that needs none`);

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const literal = isIP(host);
    if (literal) {
      if (!allowed(host)) throw new InputRefusedError(`${where} points to ${phraseFor(host)}`);
      return { url, addresses: [{ address: host, family: literal === 6 ? 6 : 4 }] };
    }
    const name = host.toLowerCase().replace(/\.$/, '');
    // RFC 6761: every *.localhost name is loopback, whatever a resolver says.
    if (name === 'localhost' || name.endsWith('.localhost')) throw new InputRefusedError(`${where} points to ${CLASS_PHRASES.loopback}`);

    let addresses: readonly ResolvedAddress[];
    try {
      addresses = await raceAbort(lookup(name), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      throw new InputFetchError(`the host name in ${where} does not resolve`, { cause: error });
    }
    if (addresses.length === 0) throw new InputFetchError(`the host name in ${where} does not resolve`);
    // Every address, not only the first: the connection may use any of them (happy eyeballs).
    const refused = addresses.find((a) => !allowed(a.address));
    if (refused) throw new InputRefusedError(`the host name in ${where} resolves to ${phraseFor(refused.address)}`);
    return { url, addresses };
  };

  return {
    async fetch(raw, limits) {
      const watchdog = new Watchdog(limits.signal);
      const signal = watchdog.signal;
      watchdog.arm('total', timeoutMs, () => timedOut(`the download did not finish within ${seconds(timeoutMs)}`));
      let target = raw;
      try {
        for (let hop = 0; ; hop++) {
          const { url, addresses } = await vet(target, hop, signal);
          watchdog.arm('first-byte', firstByteMs, () => timedOut(`the server sent no answer within ${seconds(firstByteMs)}`));
          const response = await get(url, addresses, signal);
          watchdog.disarm('first-byte');
          const status = response.statusCode ?? 0;
          if (REDIRECT_STATUSES.has(status)) {
            response.destroy();
            const location = response.headers.location;
            if (!location) throw new InputFetchError(`the server answered HTTP ${status} without saying where to`);
            if (hop >= maxRedirects) throw new InputFetchError(`the server redirected more than ${maxRedirects} times`);
            target = URL.canParse(location, url) ? new URL(location, url).href : location;
            continue;
          }
          if (status < 200 || status > 299) {
            response.destroy();
            throw new InputFetchError(describeStatus(status), { retryable: status === 429 || status >= 500 });
          }
          const idle = (): void => watchdog.arm('idle', idleMs, () => timedOut(`the server stopped sending for ${seconds(idleMs)} before the whole file arrived`));
          idle();
          const bytes = await readBody(response, limits.maxBytes, idle);
          if (bytes.byteLength === 0) throw new InputFetchError('the server answered with an empty file');
          return {
            bytes,
            url: url.href,
            contentType: mediaType(response.headers['content-type']),
            filename: dispositionFilename(response.headers['content-disposition']) ?? lastPathSegment(url),
          };
        }
      } catch (error) {
        if (error instanceof ToolError) throw error;
        const expired = expiryOf(error, watchdog);
        if (expired) throw expired;
        if (signal.aborted) throw timedOut('the request ran out of time before the download finished', error);
        throw connectionError(error);
      } finally {
        watchdog.dispose();
      }
    },

    async check(raw, { signal }) {
      const watchdog = new Watchdog(signal);
      watchdog.arm('total', timeoutMs, () => timedOut(`the host name did not resolve within ${seconds(timeoutMs)}`));
      try {
        const { url } = await vet(raw, 0, watchdog.signal);
        return url.href;
      } catch (error) {
        if (error instanceof ToolError) throw error;
        throw expiryOf(error, watchdog) ?? (watchdog.signal.aborted ? timedOut('the request ran out of time before the URL could be checked', error) : error);
      } finally {
        watchdog.dispose();
      }
    },
  };
}

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
  switch (isIP(bare)) {
    case 4:
      return classifyV4(parseV4(bare));
    case 6: {
      const groups = parseV6(bare);
      return groups ? classifyV6(groups) : 'invalid';
    }
    default:
      return 'invalid';
  }
}

const V4_RANGES: ReadonlyArray<readonly [string, number, AddressClass]> = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // carrier-grade NAT, used inside cloud networks
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // 169.254.169.254 instance metadata, 169.254.170.2 container credentials
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'reserved'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'],
  ['198.51.100.0', 24, 'reserved'],
  ['203.0.113.0', 24, 'reserved'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255
];

const V4_TABLE = V4_RANGES.map(([base, bits, cls]) => ({ base: parseV4(base), mask: bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0, cls }));

function classifyV4(value: number): AddressClass | undefined {
  return V4_TABLE.find((range) => ((value & range.mask) >>> 0) === range.base)?.cls;
}

function classifyV6(g: readonly number[]): AddressClass | undefined {
  const v4At = (i: number): number => ((g[i]! << 16) | g[i + 1]!) >>> 0;
  const zeroUpTo = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  if (zeroUpTo(5) && g[5] === 0xffff) return classifyV4(v4At(6)); // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroUpTo(6)) return 'reserved'; // ::a.b.c.d, the deprecated IPv4-compatible form
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4At(6)); // NAT64 well-known prefix
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64
  if (g[0] === 0x2002) return classifyV4(v4At(1)); // 6to4
  const first = g[0]!;
  if ((first & 0xe000) !== 0x2000) {
    if ((first & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
    if ((first & 0xffc0) === 0xfe80) return 'link-local';
    if ((first & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
    if ((first & 0xff00) === 0xff00) return 'multicast';
    return 'reserved';
  }
  if (first === 0x2001 && g[1]! < 0x0200) return 'reserved'; // 2001::/23 IETF protocol assignments, Teredo
  if (first === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (first === 0x3fff && (g[1]! & 0xf000) === 0) return 'reserved'; // 3fff::/20 documentation
  return undefined;
}

function parseV4(text: string): number {
  return text.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

// Only ever given text that passed `isIP(...) === 6`, so it need not reject malformed input itself.
function parseV6(text: string): number[] | undefined {
  let head = text;
  const tail: number[] = [];
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (embedded) {
    const v4 = parseV4(embedded[1]!);
    tail.push(v4 >>> 16, v4 & 0xffff);
    head = head.slice(0, -embedded[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const toGroups = (part: string): number[] => (part === '' ? [] : part.split(':').map((h) => Number.parseInt(h, 16)));
  const [left = '', right] = head.split('::');
  const leftGroups = toGroups(left);
  const rightGroups = [...(right === undefined ? [] : toGroups(right)), ...tail];
  const missing = 8 - leftGroups.length - rightGroups.length;
  if (right === undefined ? missing !== 0 : missing < 0) return undefined;
  const groups = [...leftGroups, ...new Array<number>(Math.max(0, missing)).fill(0), ...rightGroups];
  return groups.length === 8 && groups.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffff) ? groups : undefined;
}

function phraseFor(address: string): string {
  return CLASS_PHRASES[classifyAddress(address) ?? 'disallowed'];
}

const systemLookup: HostLookup = async (hostname) => {
  const results = await dnsLookup(hostname, { all: true });
  return results.map((r) => ({ address: r.address, family: r.family === 6 ? 6 : 4 }));
};

// Answers node:net with the addresses already checked, whatever name it asks about, so the socket can
// only connect to a vetted address. TLS still uses the URL's host name for SNI and the certificate
// check, and the Host header is the URL's host.
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no vetted address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(null, usable.map((a) => ({ address: a.address, family: a.family })));
    } else {
      callback(null, first.address, first.family);
    }
  };
}

function get(url: URL, addresses: readonly ResolvedAddress[], signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || undefined,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        // Identity encoding: the size cap then counts the bytes we keep, and no decompression bomb.
        headers: { 'user-agent': `elevenlabs-mcp-lambda/${VERSION}`, accept: '*/*', 'accept-encoding': 'identity' },
        // A fresh agent: a pooled socket could have been opened under another fetcher's policy.
        agent: false,
        lookup: pinnedLookup(addresses),
        signal,
      },
      resolve,
    );
    request.on('error', reject);
    request.end();
  });
}

async function readBody(response: IncomingMessage, maxBytes: number, onChunk: () => void): Promise<Uint8Array> {
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new InputTooLargeError(maxBytes);
  }
  const bytes = await readBounded(response, maxBytes, () => new InputTooLargeError(maxBytes), onChunk);
  if (Number.isFinite(declared) && bytes.byteLength < declared) throw new InputFetchError('the connection closed before the whole file arrived', { retryable: true });
  return bytes;
}

function describeStatus(status: number): string {
  if (status === 401 || status === 403) return `the server refused access (HTTP ${status}); the link may need a login or may have expired`;
  if (status === 404 || status === 410) return `nothing is there (HTTP ${status})`;
  return `the server answered HTTP ${status}`;
}

function timedOut(reason: string, cause?: unknown): InputFetchError {
  return new InputFetchError(reason, { cause, retryable: true });
}

function seconds(ms: number): string {
  return `${ms >= 10_000 ? Math.round(ms / 1000) : Number((ms / 1000).toFixed(1))} seconds`;
}

function connectionError(error: unknown): InputFetchError {
  const code = String((error as { code?: unknown } | undefined)?.code ?? '');
  if (/^(ENOTFOUND|EAI_AGAIN)$/.test(code)) return new InputFetchError('the host name does not resolve', { cause: error });
  if (code === 'ECONNREFUSED') return new InputFetchError('the host refused the connection', { cause: error });
  if (/CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return new InputFetchError('the host\'s TLS certificate could not be verified', { cause: error });
  if (/^(ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(code) || (error as Error | undefined)?.message === 'aborted') {
    return new InputFetchError('the connection failed or closed before the whole file arrived', { cause: error, retryable: true });
  }
  return new InputFetchError('the connection failed', { cause: error, retryable: true });
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

function mediaType(header: string | undefined): string | undefined {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : undefined;
}

function dispositionFilename(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended) return safeDecode(extended[1]!.trim());
  const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/.exec(header);
  return plain ? (plain[1] ?? plain[2]) || undefined : undefined;
}

function lastPathSegment(url: URL): string | undefined {
  const segment = url.pathname.split('/').filter(Boolean).at(-1);
  return segment ? safeDecode(segment) : undefined;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
