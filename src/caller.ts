import { createHash } from 'node:crypto';
import { API_KEY_HEADER, MalformedApiKeyError, MissingApiKeyError, type ToolError } from './errors/index.js';
import { TOKEN_PREFIX } from './oauth/sealing.js';

/**
 * The caller's ElevenLabs credential as found on the request. It lives only inside one invocation:
 * nothing derived from it is kept at module scope, logged or stored, except `callerId`, a one-way hash
 * that names the caller's S3 prefix.
 */
export type Credential =
  | { readonly kind: 'present'; readonly apiKey: string; readonly callerId: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly problem: string }
  // A bearer token with this server's prefix, before src/oauth unseals it into 'present'.
  | { readonly kind: 'token'; readonly token: string };

/** Printable ASCII without spaces or commas: what an API key can be, and what an HTTP header can carry. */
export const KEY_SHAPE = /^[\x21-\x2b\x2d-\x7e]{1,256}$/;

/**
 * Reads the caller's key from `x-elevenlabs-api-key`, else from `Authorization: Bearer <key>` (hosted
 * clients can only send that). An empty value is missing, as mcp-remote sends one when its
 * `${ENV}` expansion finds nothing. A header sent twice arrives comma-joined and is refused, never guessed.
 */
export function readCredential(headers: Headers): Credential {
  const direct = headers.get(API_KEY_HEADER)?.trim();
  if (direct) return fromKey(direct, API_KEY_HEADER);

  const authorization = headers.get('authorization')?.trim();
  if (authorization) {
    const match = /^Bearer(?:\s+(.*))?$/i.exec(authorization);
    if (!match) return { kind: 'malformed', problem: 'the Authorization header must be "Bearer <key>"' };
    const token = (match[1] ?? '').trim();
    // A token of ours is not a key: src/oauth turns it into one (or into a 401).
    if (token.startsWith(TOKEN_PREFIX)) return { kind: 'token', token };
    if (token) return fromKey(token, 'Authorization');
  }
  return { kind: 'missing' };
}

export function fromKey(key: string, source: string): Credential {
  if (key.includes(',')) return { kind: 'malformed', problem: `the ${source} header was sent more than once` };
  if (!KEY_SHAPE.test(key)) {
    return { kind: 'malformed', problem: `the ${source} header holds spaces, control or non-ASCII characters` };
  }
  return { kind: 'present', apiKey: key, callerId: callerIdOf(key) };
}

/** A caller's storage identity: the first 128 bits of SHA-256 of the key, hex. Not reversible. */
export function callerIdOf(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex').slice(0, 32);
}

/** The key, or the error that tells the caller how to send one. */
export function requireKey(credential: Credential): { apiKey: string; callerId: string } {
  if (credential.kind === 'present') return credential;
  throw credentialError(credential);
}

export function credentialError(credential: Exclude<Credential, { kind: 'present' }>): ToolError {
  // src/oauth always resolves a token first, so one left here was never verified.
  if (credential.kind === 'token') return new MalformedApiKeyError('the access token was not verified');
  return credential.kind === 'missing' ? new MissingApiKeyError() : new MalformedApiKeyError(credential.problem);
}
