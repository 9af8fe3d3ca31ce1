import type { SafeFetcher } from '../net/safe-fetch.js';
import { clientSecretFor, seal, unseal, type SealingKeys } from './sealing.js';
import { isAcceptableRedirectUri } from './urls.js';

/**
 * Clients without a database. A dynamically registered client's id is the sealed record of what it
 * registered (its name, redirect URIs, how it authenticates), so the registration needs no storage and
 * cannot be altered. A Client ID Metadata Document client's id is an https URL whose document is fetched
 * through the SSRF-safe fetcher, bounded in size and time, and cached in the container.
 */

/**
 * `client_secret_basic` is not offered: the Authorization header is the caller's credential on this
 * endpoint's way in (src/caller.ts), so a client asking for it is registered with `client_secret_post`,
 * which RFC 7591 §3.2.1 lets a server do (the client uses what the answer says).
 */
export type TokenAuthMethod = 'none' | 'client_secret_post';

export interface Client {
  readonly clientId: string;
  /** As the client describes itself: shown on the sign-in page beside the redirect host, which is what is verified. */
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly authMethod: TokenAuthMethod;
  readonly kind: 'registered' | 'metadata-document';
}

/** The client cannot be used (unknown, unreadable, or its metadata is invalid); the message says why. */
export class InvalidClientError extends Error {
  override name = 'InvalidClientError';
}

/**
 * A registration request that cannot be accepted (RFC 7591 §3.2.2: invalid_redirect_uri or
 * invalid_client_metadata).
 */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
  constructor(
    readonly code: 'invalid_redirect_uri' | 'invalid_client_metadata',
    message: string,
  ) {
    super(message);
  }
}

const MAX_REDIRECT_URIS = 10;
const MAX_NAME = 200;
const AUTH_METHODS: readonly string[] = ['none', 'client_secret_post', 'client_secret_basic'];

/** RFC 7591 registration: the answer, with the sealed client id (and a derived secret for confidential clients). */
export function register(keys: SealingKeys, metadata: unknown, now = Date.now()): Record<string, unknown> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new RegistrationError('invalid_client_metadata', 'The registration request must be a JSON object.');
  }
  const m = metadata as Record<string, unknown>;
  const redirectUris = checkRedirectUris(
    m.redirect_uris,
    (message) => new RegistrationError('invalid_redirect_uri', message),
  );
  const name =
    typeof m.client_name === 'string' && m.client_name.trim()
      ? m.client_name.trim().slice(0, MAX_NAME)
      : 'An unnamed application';
  // Public clients (PKCE) are the norm for MCP; one that names no method is registered as one.
  const requested = m.token_endpoint_auth_method ?? 'none';
  if (typeof requested !== 'string' || !AUTH_METHODS.includes(requested)) {
    throw new RegistrationError(
      'invalid_client_metadata',
      `token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}.`,
    );
  }
  const grantTypes = m.grant_types ?? ['authorization_code', 'refresh_token'];
  if (!Array.isArray(grantTypes) || grantTypes.some((g) => g !== 'authorization_code' && g !== 'refresh_token')) {
    throw new RegistrationError(
      'invalid_client_metadata',
      'grant_types may hold only authorization_code and refresh_token.',
    );
  }
  if (
    m.response_types !== undefined &&
    (!Array.isArray(m.response_types) || m.response_types.some((t) => t !== 'code'))
  ) {
    throw new RegistrationError('invalid_client_metadata', 'response_types may hold only code.');
  }
  const authMethod: TokenAuthMethod = requested === 'none' ? 'none' : 'client_secret_post';
  const issuedAt = Math.floor(now / 1000);
  const clientId = seal(keys, 'ci', { n: name, r: redirectUris, a: authMethod, t: issuedAt });
  return {
    client_id: clientId,
    client_id_issued_at: issuedAt,
    ...(authMethod === 'none'
      ? {}
      : { client_secret: clientSecretFor(keys.current, clientId), client_secret_expires_at: 0 }),
    client_name: name,
    redirect_uris: redirectUris,
    token_endpoint_auth_method: authMethod,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    ...(typeof m.application_type === 'string' ? { application_type: m.application_type } : {}),
  };
}

function checkRedirectUris(value: unknown, fail: (message: string) => Error): string[] {
  if (!Array.isArray(value) || value.length === 0) throw fail('redirect_uris must list at least one URI.');
  if (value.length > MAX_REDIRECT_URIS) throw fail(`redirect_uris may list at most ${MAX_REDIRECT_URIS} URIs.`);
  for (const uri of value) {
    if (typeof uri !== 'string' || !isAcceptableRedirectUri(uri)) {
      throw fail(
        'each redirect URI must be an absolute https URI, or http on a loopback address (127.0.0.1, [::1], ' +
          'localhost), without a fragment.',
      );
    }
  }
  // The registration is sealed into the client id, which travels in every authorization URL.
  if ((value as string[]).join('').length > 4000) throw fail('redirect_uris may total at most 4000 characters.');
  return value as string[];
}

export interface ClientResolverOptions {
  /** Fetches metadata documents: the runtime's SSRF-safe fetcher (https, public addresses only). */
  readonly fetcher: SafeFetcher;
  readonly maxDocumentBytes?: number;
  readonly timeoutMs?: number;
  readonly cacheMs?: number;
  /**
   * Tests only, passed in code (never from the environment): also treat http:// client ids as metadata
   * documents, for a document server on loopback. The fetcher must admit loopback as well.
   */
  readonly allowHttpDocuments?: boolean;
}

export interface ClientResolver {
  resolve(keys: SealingKeys, clientId: string): Promise<Client>;
}

/** Client ID Metadata Documents are small (the draft suggests 5 KB); a larger answer is refused. */
const DEFAULT_DOCUMENT_BYTES = 5 * 1024;

export function createClientResolver(options: ClientResolverOptions): ClientResolver {
  const cache = new Map<string, { client: Client; until: number }>();
  const cacheMs = options.cacheMs ?? 5 * 60_000;
  return {
    async resolve(keys, clientId) {
      if (clientId.startsWith('https://') || (options.allowHttpDocuments && clientId.startsWith('http://'))) {
        const hit = cache.get(clientId);
        if (hit && hit.until > Date.now()) return hit.client;
        const client = await fetchMetadataDocument(clientId, options);
        if (cache.size > 500) cache.clear();
        cache.set(clientId, { client, until: Date.now() + cacheMs });
        return client;
      }
      const record = unseal(keys, 'ci', clientId);
      if (!record)
        throw new InvalidClientError(
          'This client is not registered with this server (or was registered before its secret was rotated). ' +
            'Register it again.',
        );
      return {
        clientId,
        name: String(record.n),
        redirectUris: record.r as string[],
        authMethod: record.a as TokenAuthMethod,
        kind: 'registered',
      };
    },
  };
}

async function fetchMetadataDocument(clientId: string, options: ClientResolverOptions): Promise<Client> {
  if (!URL.canParse(clientId) || new URL(clientId).pathname === '/' || new URL(clientId).hash) {
    throw new InvalidClientError('A URL client_id must be an https URL with a path (a Client ID Metadata Document).');
  }
  let bytes: Uint8Array;
  try {
    const file = await options.fetcher.fetch(clientId, {
      maxBytes: options.maxDocumentBytes ?? DEFAULT_DOCUMENT_BYTES,
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
    bytes = file.bytes;
  } catch (error) {
    throw new InvalidClientError(
      `The client's metadata document could not be fetched: ` +
        `${error instanceof Error ? error.message : 'unknown error'}`,
      { cause: error },
    );
  }
  let document: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    document = parsed as Record<string, unknown>;
  } catch {
    throw new InvalidClientError("The client's metadata document is not a JSON object.");
  }
  if (document.client_id !== clientId)
    throw new InvalidClientError("The client's metadata document names another client_id than its own URL.");
  const redirectUris = checkRedirectUris(
    document.redirect_uris,
    (message) => new InvalidClientError(`The client's metadata document is invalid: ${message}`),
  );
  const method = document.token_endpoint_auth_method ?? 'none';
  // A metadata document is public: a shared secret cannot belong to it
  // (draft-ietf-oauth-client-id-metadata-document §4.1).
  if (method !== 'none')
    throw new InvalidClientError(
      'This server accepts metadata-document clients with token_endpoint_auth_method "none" only.',
    );
  const name =
    typeof document.client_name === 'string' && document.client_name.trim()
      ? document.client_name.trim().slice(0, MAX_NAME)
      : new URL(clientId).host;
  return { clientId, name, redirectUris, authMethod: 'none', kind: 'metadata-document' };
}
