import { InputFetchError, networkCode, notConnected, ToolError } from '../errors/index.js';
import { isPublicAddress } from './address-policy.js';
import { describeStatus, downloadFilename, mediaType, readBody } from './download-response.js';
import { pinnedGet } from './pinned-get.js';
import { systemLookup, vetUrl, type HopPolicy, type HostLookup } from './vet-url.js';
import { expiryOf, Watchdog } from './watchdog.js';

export { classifyAddress, isPublicAddress, type AddressClass } from './address-policy.js';
export type { HostLookup, ResolvedAddress } from './vet-url.js';

/**
 * Downloads caller-supplied URLs without letting a caller reach anything but the public internet from
 * inside the function's network (the Lambda runtime API, the credentials endpoint, a VPC's hosts).
 * Every hop is checked after DNS resolution and the connection goes to the very address that was
 * checked, so a name that resolves differently on a second lookup (DNS rebinding) gains nothing.
 */

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

/**
 * The production fetcher: https only, public addresses only, 5 redirects, 45 s at most (10 s to the
 * response headers, 10 s at most between two chunks of the body). The options
 * exist for tests, which need plain http and a loopback server; nothing in the function passes them.
 */
export function createSafeFetcher(options: SafeFetchOptions = {}): SafeFetcher {
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const firstByteMs = options.firstByteMs ?? DEFAULT_FIRST_BYTE_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const policy: HopPolicy = {
    allowHttp: options.allowHttp ?? false,
    isAllowedAddress: options.isAllowedAddress ?? isPublicAddress,
    lookup: options.lookup ?? systemLookup,
  };

  return {
    async fetch(raw, limits) {
      const watchdog = new Watchdog(limits.signal);
      const signal = watchdog.signal;
      watchdog.arm('total', timeoutMs, () => timedOut(`the download did not finish within ${seconds(timeoutMs)}`));
      let target = raw;
      try {
        for (let hop = 0; ; hop++) {
          const { url, addresses } = await vetUrl(target, hop, signal, policy);
          watchdog.arm('first-byte', firstByteMs, () =>
            timedOut(`the server sent no answer within ${seconds(firstByteMs)}`),
          );
          const response = await pinnedGet(url, addresses, signal);
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
          const stalled = `the server stopped sending for ${seconds(idleMs)} before the whole file arrived`;
          const idle = (): void => watchdog.arm('idle', idleMs, () => timedOut(stalled));
          idle();
          const bytes = await readBody(response, limits.maxBytes, idle);
          if (bytes.byteLength === 0) throw new InputFetchError('the server answered with an empty file');
          return {
            bytes,
            url: url.href,
            contentType: mediaType(response.headers['content-type']),
            filename: downloadFilename(response.headers['content-disposition'], url),
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
        const { url } = await vetUrl(raw, 0, watchdog.signal, policy);
        return url.href;
      } catch (error) {
        if (error instanceof ToolError) throw error;
        const expired = expiryOf(error, watchdog);
        if (expired) throw expired;
        throw watchdog.signal.aborted
          ? timedOut('the request ran out of time before the URL could be checked', error)
          : error;
      } finally {
        watchdog.dispose();
      }
    },
  };
}

function timedOut(reason: string, cause?: unknown): InputFetchError {
  return new InputFetchError(reason, { cause, retryable: true });
}

function seconds(ms: number): string {
  return `${ms >= 10_000 ? Math.round(ms / 1000) : Number((ms / 1000).toFixed(1))} seconds`;
}

function connectionError(error: unknown): InputFetchError {
  const code = networkCode(error);
  // The connection never opened (no such host, closed port, no route, refused certificate): say which.
  const unopened = code === undefined ? undefined : notConnected(code);
  if (unopened) return new InputFetchError(unopened.why, { cause: error, retryable: !unopened.lasting });
  const detail = code ? ` (${code})` : '';
  return new InputFetchError(`the connection failed or closed before the whole file arrived${detail}`, {
    cause: error,
    retryable: true,
  });
}
