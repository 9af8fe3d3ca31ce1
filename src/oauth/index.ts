import { fromKey, type Credential } from '../caller.js';
import type { Config } from '../config.js';
import { isOriginAllowed } from '../http/cors.js';
import type { Logger } from '../logger.js';
import type { SafeFetcher } from '../net/safe-fetch.js';
import type { S3Kit } from '../storage/s3.js';
import { challengeResponse, verifyAccessToken } from './bearer.js';
import type { ClientResolver } from './clients.js';
import type { OAuthContext } from './context.js';
import { s3RedemptionStore, type RedemptionStore } from './redemptions.js';
import type { SealingKeys } from './sealing.js';
import { secretSourceFor, SecretUnavailableError, type SecretSource } from './secret.js';
import {
  AUTHORIZATION_SERVER_PATH,
  AUTHORIZE_PATH,
  MCP_PATH,
  PROTECTED_RESOURCE_PATH,
  REGISTER_PATH,
  serverUrls,
  TOKEN_PATH,
  type ServerUrls,
} from './urls.js';

export { TOKEN_PREFIX } from './sealing.js';

/**
 * This server as its own OAuth 2.1 authorization server, for clients that cannot send a header (Claude's
 * and ChatGPT's connectors): discovery documents, dynamic registration, the sign-in page that takes the
 * caller's ElevenLabs key, and the token endpoint; the tokens carry the key sealed. The handler calls
 * one function, `oauthStep`, before routing.
 */
export interface OAuthServer {
  readonly enabled: boolean;
  /** The OAuth endpoints' answer, or undefined for any other path. */
  handle(request: Request): Promise<Response | undefined>;
  /** A bearer token of ours -> the caller's credential, or the 401 it deserves. */
  verifyAccessToken(token: string, request: Request): Promise<Credential | Response>;
  /** The 401 for a request to /mcp with no credential: how to sign in, and how to send a key instead. */
  challenge(request: Request): Response;
}

/** Tests pass these in code; nothing in the environment can set them. */
export interface OAuthOverrides {
  readonly keys?: SecretSource;
  /** E.g. a fetcher that admits a loopback metadata document server. Production: the runtime's fetcher. */
  readonly clientFetcher?: SafeFetcher;
  /** With `clientFetcher`: http:// client ids are metadata documents too (a loopback document server). */
  readonly allowHttpClientDocuments?: boolean;
  readonly redemptions?: RedemptionStore;
  readonly now?: () => number;
}

export interface OAuthDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly fetcher: SafeFetcher;
  readonly s3: () => Promise<S3Kit>;
}

/**
 * Everything but the credential step is loaded on the first OAuth request: a request with the key in a
 * header parses none of it.
 */
const OAUTH_PATHS = new Set([
  AUTHORIZATION_SERVER_PATH,
  PROTECTED_RESOURCE_PATH,
  `${PROTECTED_RESOURCE_PATH}${MCP_PATH}`,
  REGISTER_PATH,
  AUTHORIZE_PATH,
  TOKEN_PATH,
]);

export function createOAuthServer(deps: OAuthDependencies, overrides: OAuthOverrides = {}): OAuthServer {
  const { config, logger } = deps;
  let resolver: Promise<ClientResolver> | undefined;
  // One resolver (and so one metadata-document cache) per container, created on first use.
  const clients: ClientResolver = {
    resolve: async (keys, clientId) => {
      resolver ??= import('./clients.js').then(({ createClientResolver }) =>
        createClientResolver({
          fetcher: overrides.clientFetcher ?? deps.fetcher,
          allowHttpDocuments: overrides.allowHttpClientDocuments === true && overrides.clientFetcher !== undefined,
        }),
      );
      return (await resolver).resolve(keys, clientId);
    },
  };
  const ctx: OAuthContext = {
    keys: overrides.keys ?? secretSourceFor(config.oauth, config.awsRegion),
    clients,
    redemptions:
      overrides.redemptions ?? (config.audioBucket ? s3RedemptionStore(deps.s3, config.audioBucket) : undefined),
    checkKey: async (apiKey) =>
      (await import('./key-check.js')).checkKeyWithElevenLabs(config.elevenLabsBaseUrl, apiKey),
    logger,
    accessTokenTtlSeconds: config.oauth.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.oauth.refreshTokenTtlSeconds,
    publicBaseUrl: config.oauth.publicBaseUrl,
    now: overrides.now ?? (() => Math.floor(Date.now() / 1000)),
  };

  const withKeys = async (answer: (keys: SealingKeys) => Promise<Response>, json: boolean): Promise<Response> => {
    let keys: SealingKeys;
    try {
      keys = await ctx.keys();
    } catch (error) {
      logger.error('oauth secret unavailable', {
        error:
          error instanceof Error
            ? {
                name: error.name,
                message: error instanceof SecretUnavailableError ? error.message : 'could not be loaded',
              }
            : 'unknown',
      });
      const message =
        'Sign-in is unavailable right now: this server could not load its token-sealing secret. Try again later.';
      return json
        ? Response.json({ error: 'temporarily_unavailable', error_description: message }, { status: 503 })
        : new Response(message, { status: 503 });
    }
    return answer(keys);
  };

  return {
    enabled: config.oauth.enabled,

    async handle(request) {
      try {
        return await route(request);
      } catch (error) {
        // A dependency failed (S3 for a redemption record, say). The client gets an OAuth-shaped answer; the
        // log gets what failed, which holds no key, token or secret (none is in an error's name or message here).
        logger.error('oauth request failed', {
          error: error instanceof Error ? { name: error.name, message: error.message.slice(0, 300) } : 'unknown',
        });
        const description = 'The server could not complete this request. Try again in a moment.';
        const path = new URL(request.url).pathname;
        return path.startsWith(AUTHORIZE_PATH)
          ? (await import('./page.js')).errorPage('Cannot connect right now', description, 503)
          : Response.json(
              { error: 'temporarily_unavailable', error_description: description },
              { status: 503, headers: { 'cache-control': 'no-store' } },
            );
      }
    },

    verifyAccessToken(token, request) {
      return verifyAccessToken(token, ctx, urls(request));
    },

    challenge(request) {
      return challengeResponse(urls(request));
    },
  };

  async function route(request: Request): Promise<Response | undefined> {
    if (!config.oauth.enabled) return undefined;
    const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
    if (!OAUTH_PATHS.has(path)) return undefined;
    const here = urls(request);
    if (path !== REGISTER_PATH && path !== AUTHORIZE_PATH && path !== TOKEN_PATH)
      return (await import('./metadata.js')).metadataResponse(request, path, here);
    if (path === REGISTER_PATH) {
      const { registrationEndpoint } = await import('./registration.js');
      return withKeys((keys) => registrationEndpoint(request, ctx, keys), true);
    }
    if (path === TOKEN_PATH) {
      const { tokenEndpoint } = await import('./token.js');
      return withKeys((keys) => tokenEndpoint(request, ctx, keys, here), true);
    }
    const { authorizeGet, authorizePost } = await import('./authorize.js');
    if (request.method === 'GET' || request.method === 'HEAD')
      return withKeys((keys) => authorizeGet(request, ctx, keys, here), false);
    if (request.method === 'POST') return withKeys((keys) => authorizePost(request, ctx, keys, here), false);
    return new Response('Use GET or POST.', { status: 405, headers: { allow: 'GET, POST' } });
  }

  function urls(request: Request): ServerUrls {
    return serverUrls(request, ctx.publicBaseUrl);
  }
}

/** What the handler does next: answer at once, or go on with this credential. */
export type OAuthStep =
  | { readonly kind: 'respond'; readonly response: Response }
  | { readonly kind: 'continue'; readonly credential: Credential };

/**
 * The handler's one call, before routing. OAuth endpoints are answered; on /mcp, a request with no
 * credential gets the 401 that starts a client's sign-in, and a bearer token of ours is unsealed into the
 * caller's key (or refused with 401 invalid_token). A key in `x-elevenlabs-api-key`, or a bearer token
 * without our prefix (a raw ElevenLabs key), passes as it is. With OAUTH=off this changes nothing at all:
 * no endpoints, no 401, and a bearer token is a key, as before.
 */
export async function oauthStep(
  request: Request,
  credential: Credential,
  oauth: OAuthServer,
  config: Config,
): Promise<OAuthStep> {
  if (!oauth.enabled)
    return { kind: 'continue', credential: credential.kind === 'token' ? asRawKey(credential.token) : credential };
  const answered = await oauth.handle(request);
  if (answered) return { kind: 'respond', response: answered };
  const path = new URL(request.url).pathname.replace(/\/+$/, '') || '/';
  const guarded =
    path === MCP_PATH &&
    request.method !== 'OPTIONS' &&
    isOriginAllowed(request.headers.get('origin'), config.allowedOrigins, request.headers.get('host'));
  if (!guarded) return { kind: 'continue', credential: credential.kind === 'token' ? { kind: 'missing' } : credential };
  if (credential.kind === 'missing') return { kind: 'respond', response: oauth.challenge(request) };
  if (credential.kind !== 'token') return { kind: 'continue', credential };
  const verified = await oauth.verifyAccessToken(credential.token, request);
  return verified instanceof Response
    ? { kind: 'respond', response: verified }
    : { kind: 'continue', credential: verified };
}

function asRawKey(key: string): Credential {
  return fromKey(key, 'Authorization');
}
