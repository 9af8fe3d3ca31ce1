import { createHash } from 'node:crypto';
import { InvalidClientError, type Client } from './clients.js';
import type { OAuthContext } from './context.js';
import { checkClientSecret, randomId, seal, unseal, type SealingKeys } from './sealing.js';
import { sameResource, type ServerUrls } from './urls.js';

/** RFC 6749 §5.2 error responses; `invalid_client` is 401 so that clients re-register (Claude does). */
export class TokenError extends Error {
  override name = 'TokenError';
  constructor(
    readonly code:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unauthorized_client'
      | 'unsupported_grant_type'
      | 'invalid_target'
      | 'temporarily_unavailable',
    message: string,
  ) {
    super(message);
  }

  toResponse(): Response {
    const status = this.code === 'invalid_client' ? 401 : this.code === 'temporarily_unavailable' ? 503 : 400;
    return Response.json({ error: this.code, error_description: this.message }, { status, headers: NO_STORE });
  }
}

// Any page may call the token endpoint (browser-based MCP clients do): it takes no cookies, so CORS `*` lends nothing.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache', 'access-control-allow-origin': '*' };
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** A sealed grant the token endpoint takes: where the form carries it, and what the messages call it. */
interface GrantKind {
  readonly purpose: 'code' | 'rt';
  readonly parameter: string;
  readonly name: string;
}

const AUTHORIZATION_CODE: GrantKind = { purpose: 'code', parameter: 'code', name: 'The authorization code' };
const REFRESH_TOKEN: GrantKind = { purpose: 'rt', parameter: 'refresh_token', name: 'The refresh token' };

/**
 * The token endpoint: authorization_code (PKCE S256, the code redeemed once) and refresh_token (rotated:
 * each refresh token works once, and presenting a used one revokes its whole family).
 */
export async function tokenEndpoint(
  request: Request,
  ctx: OAuthContext,
  keys: SealingKeys,
  urls: ServerUrls,
): Promise<Response> {
  if (request.method === 'OPTIONS') {
    return new Response(null, {
      status: 204,
      headers: {
        ...NO_STORE,
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, authorization',
      },
    });
  }
  if (request.method !== 'POST') {
    return Response.json(
      { error: 'invalid_request', error_description: 'Use POST.' },
      { status: 405, headers: { ...NO_STORE, allow: 'POST' } },
    );
  }
  try {
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
      throw new TokenError('invalid_request', 'Send the token request as application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(await request.text());
    const repeated = [...new Set([...form.keys()])].find((name) => form.getAll(name).length > 1);
    if (repeated) throw new TokenError('invalid_request', `The parameter ${repeated} was sent more than once.`);
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') return await redeemCode(form, ctx, keys, urls);
    if (grant === 'refresh_token') return await refresh(form, ctx, keys, urls);
    throw new TokenError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  } catch (error) {
    if (error instanceof TokenError) return error.toResponse();
    throw error;
  }
}

async function redeemCode(
  form: URLSearchParams,
  ctx: OAuthContext,
  keys: SealingKeys,
  urls: ServerUrls,
): Promise<Response> {
  const code = await openGrant(form, AUTHORIZATION_CODE, ctx, keys);
  const redirectUri = form.get('redirect_uri');
  if (redirectUri !== null && redirectUri !== code.u)
    throw new TokenError('invalid_grant', 'redirect_uri differs from the one the code was issued for.');
  const verifier = form.get('code_verifier');
  if (!verifier || !VERIFIER.test(verifier))
    throw new TokenError('invalid_grant', 'code_verifier is missing or malformed (PKCE is required).');
  if (createHash('sha256').update(verifier).digest('base64url') !== code.cc)
    throw new TokenError('invalid_grant', 'code_verifier does not match the code_challenge.');
  checkResource(form, code, AUTHORIZATION_CODE, urls);
  await claimOnce(ctx, String(code.id), 'The authorization code has already been used.');
  return issue(ctx, keys, { k: code.k, r: code.r, c: code.c, sc: code.sc, f: randomId() });
}

async function refresh(
  form: URLSearchParams,
  ctx: OAuthContext,
  keys: SealingKeys,
  urls: ServerUrls,
): Promise<Response> {
  const token = await openGrant(form, REFRESH_TOKEN, ctx, keys);
  checkResource(form, token, REFRESH_TOKEN, urls);
  const store = redemptionStore(ctx);
  const family = String(token.f);
  if (await store.isRevoked(family))
    throw new TokenError(
      'invalid_grant',
      'This sign-in was revoked because one of its refresh tokens was used twice; sign in again.',
    );
  if (!(await store.claim(String(token.id)))) {
    // A rotated-away refresh token came back: it was copied, or the client lost track of it. Either way no
    // token of this sign-in can be trusted any longer.
    await store.revoke(family);
    ctx.logger.warn('oauth refresh token reused; its sign-in is revoked', {
      client: String(token.c).startsWith('https://') ? token.c : 'registered',
    });
    throw new TokenError('invalid_grant', 'The refresh token has already been used; sign in again.');
  }
  return issue(ctx, keys, { k: token.k, r: token.r, c: token.c, sc: token.sc, f: family });
}

/** The grant the form presents, unsealed: ours, unexpired, and presented by the client it was issued to. */
async function openGrant(
  form: URLSearchParams,
  kind: GrantKind,
  ctx: OAuthContext,
  keys: SealingKeys,
): Promise<Record<string, unknown>> {
  const grant = unseal(keys, kind.purpose, form.get(kind.parameter) ?? '');
  if (!grant) throw new TokenError('invalid_grant', `${kind.name} is not valid.`);
  if (typeof grant.exp !== 'number' || grant.exp < ctx.now())
    throw new TokenError('invalid_grant', `${kind.name} has expired; sign in again.`);
  await authenticateClient(form, String(grant.c), ctx, keys);
  return grant;
}

/** Public clients name themselves; a confidential DCR client also proves its derived secret. */
async function authenticateClient(
  form: URLSearchParams,
  expected: string,
  ctx: OAuthContext,
  keys: SealingKeys,
): Promise<Client> {
  const clientId = form.get('client_id');
  if (!clientId) throw new TokenError('invalid_client', 'client_id is required.');
  let client: Client;
  try {
    client = await ctx.clients.resolve(keys, clientId);
  } catch (error) {
    if (error instanceof InvalidClientError) throw new TokenError('invalid_client', error.message);
    throw error;
  }
  if (client.authMethod === 'client_secret_post') {
    const secret = form.get('client_secret');
    if (!secret || !checkClientSecret(keys, clientId, secret))
      throw new TokenError('invalid_client', 'The client secret is missing or wrong.');
  }
  if (clientId !== expected) throw new TokenError('invalid_grant', 'This grant was issued to another client.');
  return client;
}

/** The grant is for this server, and a `resource` the client names is the one the grant is bound to. */
function checkResource(form: URLSearchParams, grant: Record<string, unknown>, kind: GrantKind, urls: ServerUrls): void {
  const bound = String(grant.r);
  const resource = form.get('resource');
  if (resource !== null && !sameResource(resource, bound))
    throw new TokenError('invalid_target', `This grant is for ${bound} only.`);
  if (!sameResource(bound, urls.resource))
    throw new TokenError('invalid_grant', `${kind.name} was issued for another server.`);
}

function redemptionStore(ctx: OAuthContext): NonNullable<OAuthContext['redemptions']> {
  if (!ctx.redemptions)
    throw new TokenError(
      'temporarily_unavailable',
      'This server has no bucket to record redemptions in (AUDIO_BUCKET), so it cannot make codes single-use.',
    );
  return ctx.redemptions;
}

async function claimOnce(ctx: OAuthContext, id: string, message: string): Promise<void> {
  if (!(await redemptionStore(ctx).claim(id))) throw new TokenError('invalid_grant', message);
}

function issue(ctx: OAuthContext, keys: SealingKeys, grant: Record<string, unknown>): Response {
  const now = ctx.now();
  const accessToken = seal(keys, 'at', {
    k: grant.k,
    r: grant.r,
    c: grant.c,
    sc: grant.sc,
    exp: now + ctx.accessTokenTtlSeconds,
  });
  const refreshToken = seal(keys, 'rt', { ...grant, id: randomId(), exp: now + ctx.refreshTokenTtlSeconds });
  return Response.json(
    {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ctx.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      ...(typeof grant.sc === 'string' && grant.sc ? { scope: grant.sc } : {}),
    },
    { headers: NO_STORE },
  );
}
