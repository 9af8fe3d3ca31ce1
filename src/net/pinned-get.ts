import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { VERSION } from '../version.js';
import type { ResolvedAddress } from './vet-url.js';

/**
 * Sends a GET for `url` on a fresh connection to one of `addresses` (those the policy checked) and
 * resolves with the response once its headers arrive. `signal` aborts the request and its body.
 */
export function pinnedGet(
  url: URL,
  addresses: readonly ResolvedAddress[],
  signal: AbortSignal,
): Promise<IncomingMessage> {
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

// Answers node:net with the addresses already checked, whatever name it asks about, so the socket can
// only connect to a vetted address. TLS still uses the URL's host name for SNI and the certificate
// check, and the Host header is the URL's host.
function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable =
      options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = usable[0];
    if (!first) {
      callback(Object.assign(new Error('no vetted address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    } else if (options.all) {
      callback(
        null,
        usable.map((a) => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, first.address, first.family);
    }
  };
}
