/**
 * The URLs this server is known by. The issuer, the resource a token is bound to and every endpoint in
 * the metadata derive from one origin: PUBLIC_BASE_URL when set (a proxy or custom domain in front), else
 * the request's own Host. The scheme is https, because a Function URL serves nothing else; plain http only
 * for a loopback host whose x-forwarded-proto says so, as the local server (`npm start`) sets it. So a
 * client that sends `x-forwarded-proto: http` to a deployment changes nothing: it cannot make the server
 * advertise plain-http endpoints to anyone, itself included.
 */

export const MCP_PATH = '/mcp';
export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';
export const AUTHORIZATION_SERVER_PATH = '/.well-known/oauth-authorization-server';
export const REGISTER_PATH = '/oauth/register';
export const AUTHORIZE_PATH = '/oauth/authorize';
export const TOKEN_PATH = '/oauth/token';

const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

export interface ServerUrls {
  /** The issuer identifier (RFC 8414): the origin, no trailing slash. */
  readonly issuer: string;
  /** The MCP endpoint, which is the resource tokens are bound to (RFC 8707). */
  readonly resource: string;
  /** Where this resource's RFC 9728 metadata is (the path-aware form, as the SDK builds it). */
  readonly resourceMetadata: string;
  readonly authorize: string;
  readonly token: string;
  readonly register: string;
}

export function serverUrls(request: Request, publicBaseUrl: string | undefined): ServerUrls {
  const origin = publicBaseUrl ?? requestOrigin(request);
  return {
    issuer: origin,
    resource: `${origin}${MCP_PATH}`,
    resourceMetadata: `${origin}${PROTECTED_RESOURCE_PATH}${MCP_PATH}`,
    authorize: `${origin}${AUTHORIZE_PATH}`,
    token: `${origin}${TOKEN_PATH}`,
    register: `${origin}${REGISTER_PATH}`,
  };
}

function requestOrigin(request: Request): string {
  const url = new URL(request.url);
  const plainHttp =
    LOOPBACK_HOST.test(url.hostname) && request.headers.get('x-forwarded-proto')?.trim().toLowerCase() === 'http';
  return `${plainHttp ? 'http' : 'https'}://${url.host}`;
}

/** Whether a redirect URI may be registered: https, or plain http to a loopback address (native apps, RFC 8252). */
export function isAcceptableRedirectUri(uri: string): boolean {
  if (!URL.canParse(uri) || uri.length > 2000) return false;
  const url = new URL(uri);
  if (url.hash || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname);
}

/** A resource identifier as the client sent it, compared as RFC 8707 canonical URIs (case-folded scheme and host). */
export function sameResource(given: string, ours: string): boolean {
  if (!URL.canParse(given)) return false;
  const a = new URL(given);
  const b = new URL(ours);
  const path = (p: string): string => p.replace(/\/+$/, '') || '/';
  return (
    a.protocol === b.protocol && a.host === b.host && path(a.pathname) === path(b.pathname) && !a.search && !a.hash
  );
}
