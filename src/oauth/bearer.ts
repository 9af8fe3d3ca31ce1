import { callerIdOf, type Credential } from '../caller.js';
import { API_KEY_HEADER } from '../errors/index.js';
import type { OAuthContext } from './context.js';
import { unseal, type SealingKeys } from './sealing.js';
import type { ServerUrls } from './urls.js';

/**
 * The MCP endpoint's side of the authorization server: a bearer token of ours is checked and unsealed
 * into the caller's key, and a request with no credential gets the 401 that tells its client how to sign
 * in (or how to send a key instead).
 */

/** A bearer token of ours -> the caller's credential, or the 401 (invalid_token) it deserves. */
export async function verifyAccessToken(
  token: string,
  ctx: OAuthContext,
  here: ServerUrls,
): Promise<Credential | Response> {
  const { verifyBearerToken, bearerAuthChallengeResponse, OAuthError, OAuthErrorCode } = await import(
    '@modelcontextprotocol/server'
  );
  let keys: SealingKeys;
  try {
    keys = await ctx.keys();
  } catch (error) {
    ctx.logger.error('oauth secret unavailable', { error: error instanceof Error ? error.name : 'unknown' });
    return bearerAuthChallengeResponse(
      new OAuthError(OAuthErrorCode.ServerError, 'The token could not be checked right now.'),
    );
  }
  try {
    const info = await verifyBearerToken(`Bearer ${token}`, {
      verifier: {
        verifyAccessToken: (candidate: string) => {
          const record = unseal(keys, 'at', candidate);
          if (!record || typeof record.k !== 'string' || typeof record.r !== 'string' || !URL.canParse(record.r)) {
            // Tampered, of another server, or sealed with a secret since rotated away: not said which.
            throw new OAuthError(
              OAuthErrorCode.InvalidToken,
              'The access token is not valid for this server; sign in again.',
            );
          }
          return Promise.resolve({
            token: candidate,
            clientId: String(record.c),
            scopes: [],
            // The SDK compares with the wall clock; ours may be moved by tests.
            expiresAt:
              typeof record.exp === 'number' ? record.exp - (ctx.now() - Math.floor(Date.now() / 1000)) : Number.NaN,
            resource: new URL(record.r),
            extra: { apiKey: record.k },
          });
        },
      },
      expectedResource: new URL(here.resource),
      resourceMetadataUrl: here.resourceMetadata,
    });
    const apiKey = String(info.extra?.apiKey);
    return { kind: 'present', apiKey, callerId: callerIdOf(apiKey) };
  } catch (error) {
    return bearerAuthChallengeResponse(error, { resourceMetadataUrl: here.resourceMetadata });
  }
}

/** The 401 for a request to /mcp with no credential: how to sign in, and how to send a key instead. */
export function challengeResponse(here: ServerUrls): Response {
  return Response.json(
    {
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32001,
        message:
          `Unauthorized: this server needs your ElevenLabs API key. Send it in the \`${API_KEY_HEADER}\` header ` +
          `(curl -H "${API_KEY_HEADER}: sk_...", mcp-remote --header, claude mcp add --header), or sign in with ` +
          `OAuth (Claude and ChatGPT connectors do this for you): the protected resource metadata is at ` +
          `${here.resourceMetadata}.`,
      },
    },
    { status: 401, headers: { 'www-authenticate': `Bearer resource_metadata="${here.resourceMetadata}"` } },
  );
}
