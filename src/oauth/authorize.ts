import { KEY_SHAPE } from '../caller.js';
import { InvalidClientError, type Client } from './clients.js';
import type { OAuthContext } from './context.js';
import { errorPage, signInPage } from './page.js';
import { randomId, seal, unseal, type SealingKeys } from './sealing.js';
import { sameResource, type ServerUrls } from './urls.js';

/** How long the sign-in form stays usable, and how long a code lives before it must be redeemed. */
const FORM_TTL_SECONDS = 600;
const CODE_TTL_SECONDS = 60;
const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * GET: checks the request in RFC 6749 §4.1.2.1's order. Until the client and its redirect URI are known
 * to match, an error is shown here and nothing goes anywhere; after, errors go back to the client with
 * its `state` and our `iss`. A sound request gets the sign-in page, which carries the request sealed.
 */
export async function authorizeGet(
  request: Request,
  ctx: OAuthContext,
  keys: SealingKeys,
  urls: ServerUrls,
): Promise<Response> {
  const params = new URL(request.url).searchParams;
  const repeated = [...new Set([...params.keys()])].find((name) => params.getAll(name).length > 1);
  const clientId = params.get('client_id');
  if (!clientId) return errorPage('Cannot connect', 'The application did not say who it is (no client_id).');
  let client: Client;
  try {
    client = await ctx.clients.resolve(keys, clientId);
  } catch (error) {
    if (!(error instanceof InvalidClientError)) throw error;
    return errorPage('Cannot connect', error.message);
  }
  const redirectUri =
    params.get('redirect_uri') ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  if (!redirectUri || !client.redirectUris.includes(redirectUri) || params.getAll('redirect_uri').length > 1) {
    return errorPage(
      'Cannot connect',
      `The address this sign-in would return to is not one ${client.name} registered, so nothing is sent there.`,
    );
  }

  const state = params.get('state') ?? undefined;
  const back = (error: string, description: string): Response =>
    redirectTo(redirectUri, { error, error_description: description, state, iss: urls.issuer });
  if (repeated) return back('invalid_request', `The parameter ${repeated} was sent more than once.`);
  if (params.get('response_type') !== 'code')
    return back('unsupported_response_type', 'Only response_type=code is supported.');
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method') ?? 'plain';
  if (!challenge)
    return back('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
  if (method !== 'S256') return back('invalid_request', 'Only code_challenge_method=S256 is supported.');
  if (!PKCE_CHALLENGE.test(challenge))
    return back('invalid_request', 'code_challenge must be a base64url SHA-256 digest (43 characters).');
  const resource = params.get('resource') ?? urls.resource;
  if (!sameResource(resource, urls.resource))
    return back('invalid_target', `This server issues tokens for ${urls.resource} only.`);

  const sealed = seal(keys, 'rq', {
    c: clientId,
    n: client.name,
    u: redirectUri,
    s: state,
    cc: challenge,
    r: urls.resource,
    sc: params.get('scope') ?? undefined,
    exp: ctx.now() + FORM_TTL_SECONDS,
  });
  const target = new URL(redirectUri);
  return signInPage(
    { clientName: client.name, redirectHost: target.host, sealedRequest: sealed, action: urls.authorize },
    target.origin,
  );
}

/**
 * POST: the form. The sealed request says what was asked (it cannot be altered, and expires); the key
 * is checked with ElevenLabs before anything is issued. A rejected key gets the page again, with the
 * reason, and goes nowhere.
 */
export async function authorizePost(
  request: Request,
  ctx: OAuthContext,
  keys: SealingKeys,
  urls: ServerUrls,
): Promise<Response> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers.get('content-type') ?? '')) {
    return errorPage('Cannot connect', 'The sign-in form must be posted as a form.', 415);
  }
  // A cross-site page cannot submit this form in the user's browser (it would sign them in with a key of
  // the page's choosing). Browsers send Origin with every form POST; clients without one are not browsers.
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if ((origin !== null && origin !== new URL(urls.issuer).origin) || (site !== null && site !== 'same-origin')) {
    return errorPage('Cannot connect', 'This sign-in form can only be sent from its own page.', 403);
  }
  const form = new URLSearchParams(await request.text());
  const rq = unseal(keys, 'rq', form.get('request') ?? '');
  if (!rq || typeof rq.exp !== 'number' || rq.exp < ctx.now()) {
    return errorPage(
      'This sign-in page has expired',
      'It is valid for 10 minutes. Start connecting again from the application.',
    );
  }
  const redirectUri = String(rq.u);
  const target = new URL(redirectUri);
  const again = (error: string, status: number): Response =>
    signInPage(
      {
        clientName: String(rq.n),
        redirectHost: target.host,
        sealedRequest: form.get('request')!,
        action: urls.authorize,
        error,
      },
      target.origin,
      status,
    );

  const apiKey = (form.get('api_key') ?? '').trim();
  if (!apiKey) return again('Paste your ElevenLabs API key.', 400);
  if (!KEY_SHAPE.test(apiKey)) return again('That is not an ElevenLabs API key: keys have no spaces or commas.', 400);
  const check = await ctx.checkKey(apiKey);
  if (!check.ok) return again(check.reason, check.status);

  const code = seal(keys, 'code', {
    c: rq.c,
    u: redirectUri,
    cc: rq.cc,
    r: rq.r,
    sc: rq.sc,
    k: apiKey,
    id: randomId(),
    exp: ctx.now() + CODE_TTL_SECONDS,
  });
  ctx.logger.info('oauth authorization granted', { client: describeClient(String(rq.c)), redirectHost: target.host });
  return redirectTo(redirectUri, { code, state: typeof rq.s === 'string' ? rq.s : undefined, iss: urls.issuer });
}

/** 303: the browser follows with a GET, whatever method brought it here. */
function redirectTo(uri: string, params: Record<string, string | undefined>): Response {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
  return new Response(null, {
    status: 303,
    headers: { location: url.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}

/** For logs: a metadata-document client by its URL; a registered client's id is a sealed blob, not logged. */
export function describeClient(clientId: string): string {
  return clientId.startsWith('https://') ? clientId.slice(0, 200) : 'registered';
}
