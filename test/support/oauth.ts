import { createHash, randomBytes } from 'node:crypto';
import type { FunctionUrlHandler } from '../../src/handler.js';
import { invoke, type HandlerAnswer } from './harness.js';

/** The host `functionUrlEvent` sends, so the origin the server derives for itself. */
export const ORIGIN = 'https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws';
export const RESOURCE = `${ORIGIN}/mcp`;
export const RESOURCE_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource/mcp`;

/** A test-only token-sealing secret: the log scan looks for it. */
export const TEST_SECRET = 'test-sealing-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const OLD_TEST_SECRET = 'old-test-sealing-secret-0123456789abcdefghijklmnopqrstu';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export async function registerClient(
  handler: FunctionUrlHandler,
  metadata: Record<string, unknown>,
  host?: string,
): Promise<HandlerAnswer> {
  return invoke(handler, {
    path: '/oauth/register',
    headers: { 'content-type': 'application/json', ...(host ? { host } : {}) },
    body: JSON.stringify(metadata),
  });
}

export async function authorizePage(
  handler: FunctionUrlHandler,
  params: Record<string, string>,
  host?: string,
): Promise<HandlerAnswer> {
  return invoke(handler, {
    method: 'GET',
    path: '/oauth/authorize',
    query: new URLSearchParams(params).toString(),
    headers: host ? { host } : {},
  });
}

/** The sealed request in a sign-in page's form. */
export function sealedRequestOf(page: HandlerAnswer): string {
  const match = /name="request" value="([^"]+)"/.exec(page.text);
  if (!match) throw new Error(`no sign-in form in: ${page.text.slice(0, 300)}`);
  return match[1]!.replace(/&amp;/g, '&');
}

export async function submitKey(
  handler: FunctionUrlHandler,
  sealedRequest: string,
  apiKey: string,
  headers: Record<string, string> = {},
): Promise<HandlerAnswer> {
  return invoke(handler, {
    path: '/oauth/authorize',
    headers: { ...FORM, origin: ORIGIN, ...headers },
    body: new URLSearchParams({ request: sealedRequest, api_key: apiKey }).toString(),
  });
}

export async function tokenRequest(
  handler: FunctionUrlHandler,
  params: Record<string, string>,
  host?: string,
): Promise<HandlerAnswer> {
  return invoke(handler, {
    path: '/oauth/token',
    headers: { ...FORM, ...(host ? { host } : {}) },
    body: new URLSearchParams(params).toString(),
  });
}

export interface SignedIn {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly tokens: { access_token: string; refresh_token: string; expires_in: number; token_type: string };
}

/** Registration, the page, the key, the code, the tokens: the whole flow through the handler. */
export async function signIn(
  handler: FunctionUrlHandler,
  apiKey: string,
  redirectUri = 'https://client.example/callback',
): Promise<SignedIn> {
  const registered = await registerClient(handler, {
    client_name: 'Flow test',
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'none',
  });
  const clientId = registered.json.client_id as string;
  const { verifier, challenge } = pkce();
  const page = await authorizePage(handler, {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    resource: RESOURCE,
  });
  const submitted = await submitKey(handler, sealedRequestOf(page), apiKey);
  const code = new URL(submitted.headers.location!).searchParams.get('code')!;
  const tokens = await tokenRequest(handler, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: clientId,
    redirect_uri: redirectUri,
    resource: RESOURCE,
  });
  if (tokens.status !== 200) throw new Error(`token endpoint answered ${tokens.status}: ${tokens.text}`);
  return { clientId, redirectUri, tokens: tokens.json };
}
