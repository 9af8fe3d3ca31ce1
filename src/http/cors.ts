/**
 * Origin policy and CORS, in this one place: the Function URL's own CORS setting stays off, because a
 * Function URL and a handler that both set CORS headers send them twice, which browsers reject.
 */

const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'x-elevenlabs-api-key',
  'x-elevenlabs-tools',
  'mcp-protocol-version',
  'mcp-method',
  'mcp-name',
  'mcp-session-id',
  'last-event-id',
].join(', ');

/** The request's Origin when CORS headers should answer it: present and allowed; else null. */
export function corsOrigin(request: Request | undefined, allowedOrigins: readonly string[]): string | null {
  const origin = request?.headers.get('origin') ?? null;
  return origin !== null && isOriginAllowed(origin, allowedOrigins, request?.headers.get('host') ?? null)
    ? origin
    : null;
}

/**
 * No Origin (curl, mcp-remote, server SDKs) is always fine; a browser's Origin must be listed, or `*`
 * must be. One more case passes: a page of the server's own loopback origin (Origin equals the Host it
 * was sent to, and that Host is localhost). A DNS-rebinding attack cannot produce it, since there the
 * Host is the attacker's name.
 */
export function isOriginAllowed(
  origin: string | null,
  allowedOrigins: readonly string[],
  host: string | null = null,
): boolean {
  if (origin === null) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  return host !== null && isLoopbackHost(host) && sameHost(origin, host);
}

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d{1,5})?$/i;

function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

function sameHost(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}

/** Headers for a preflight from an allowed origin; `allow` is what the path serves, as its 405 answers say. */
export function preflightHeaders(origin: string | null, allow: string): Record<string, string> {
  return {
    allow,
    ...(origin === null
      ? {}
      : {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': allow,
          'access-control-allow-headers': ALLOWED_HEADERS,
          'access-control-max-age': '600',
          vary: 'Origin',
        }),
  };
}

/** Adds the CORS response headers for an allowed browser origin; other responses are left as they are. */
export function withCors(response: Response, origin: string | null): Response {
  if (origin === null) return response;
  const headers = new Headers(response.headers);
  headers.set('access-control-allow-origin', origin);
  // www-authenticate (OAuth, issue 10): a browser-based client reads resource_metadata from the 401.
  headers.set('access-control-expose-headers', 'mcp-protocol-version, www-authenticate');
  headers.append('vary', 'Origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
