import { describe, expect, it } from 'vitest';
import type { FunctionUrlHandler } from '../../src/handler.js';
import { memoryRedemptionStore } from '../../src/oauth/redemptions.js';
import { fixedSecret } from '../../src/oauth/secret.js';
import { call, invoke, JSON_HEADERS, KEY_A, KEY_B, rpc, textOf } from '../support/harness.js';
import {
  authorizePage,
  OLD_TEST_SECRET,
  ORIGIN,
  pkce,
  registerClient,
  RESOURCE,
  RESOURCE_METADATA,
  sealedRequestOf,
  signIn,
  TEST_SECRET,
  tokenRequest,
} from '../support/oauth.js';
import { REDIRECT, useOAuthFlow } from '../support/oauth-flow.js';

/**
 * /mcp as an OAuth protected resource, through the real handler (Function URL events in, results out):
 * the 401 that starts discovery, the metadata documents, the access tokens it accepts and refuses, and
 * OAUTH=off, which has none of it. The fake ElevenLabs checks keys; s3rver stores the audio.
 */

const flow = useOAuthFlow();

describe('discovery', () => {
  it('answers no credential with 401, the resource metadata URL, and how to send a key instead', async () => {
    const answer = await invoke(flow.handler, { headers: JSON_HEADERS, body: rpc('tools/list') });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(`Bearer resource_metadata="${RESOURCE_METADATA}"`);
    expect(answer.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32001 } });
    expect(answer.json.error.message).toContain('x-elevenlabs-api-key');
    expect(answer.json.error.message).toContain('Unauthorized');
  });

  it('never answers 401 to a request carrying x-elevenlabs-api-key, even with a bad token beside it', async () => {
    const answer = await call(flow.handler, 'tools/list', undefined, {
      'x-elevenlabs-api-key': KEY_A,
      authorization: 'Bearer elmcp_at_garbage.AAAA',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.result.tools.length).toBeGreaterThan(10);
    // An empty header value counts as missing (mcp-remote sends one when its ${ENV} is unset).
    const empty = await call(flow.handler, 'tools/list', undefined, { 'x-elevenlabs-api-key': '' });
    expect(empty.status).toBe(401);
  });

  it("keeps a bearer token without our prefix as a raw ElevenLabs key (Claude's Messages API)", async () => {
    const answer = await call(
      flow.handler,
      'tools/call',
      { name: 'check_subscription', arguments: {} },
      { authorization: `Bearer ${KEY_B}` },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.result.isError).toBeFalsy();
  });

  it('serves RFC 9728 protected resource metadata at the path-aware and root locations', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const answer = await invoke(flow.handler, { method: 'GET', path });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(answer.json).toMatchObject({
        resource: RESOURCE,
        authorization_servers: [ORIGIN],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('serves RFC 8414 authorization server metadata', async () => {
    const answer = await invoke(flow.handler, { method: 'GET', path: '/.well-known/oauth-authorization-server' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      issuer: ORIGIN,
      authorization_endpoint: `${ORIGIN}/oauth/authorize`,
      token_endpoint: `${ORIGIN}/oauth/token`,
      registration_endpoint: `${ORIGIN}/oauth/register`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post'],
      client_id_metadata_document_supported: true,
      authorization_response_iss_parameter_supported: true,
    });
  });

  it('uses PUBLIC_BASE_URL, not the request host, when set; a spoofed x-forwarded-proto changes nothing', async () => {
    const proxied = flow.handlerWith(
      { keys: fixedSecret(TEST_SECRET) },
      { PUBLIC_BASE_URL: 'https://mcp.example.com' },
    );
    const metadata = await invoke(proxied, { method: 'GET', path: '/.well-known/oauth-authorization-server' });
    expect(metadata.json.issuer).toBe('https://mcp.example.com');
    const spoofed = await invoke(flow.handler, {
      method: 'GET',
      path: '/.well-known/oauth-authorization-server',
      headers: { 'x-forwarded-proto': 'http' },
    });
    expect(spoofed.json.issuer).toBe(ORIGIN);
  });
});

describe('access tokens on /mcp', () => {
  const challenged = (answer: { status: number; headers: Record<string, string> }): void => {
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(answer.headers['www-authenticate']).toContain(`resource_metadata="${RESOURCE_METADATA}"`);
  };
  const listWith = (handler: FunctionUrlHandler, token: string) =>
    call(handler, 'tools/list', undefined, { authorization: `Bearer ${token}` });

  it('refuses a tampered token', async () => {
    const { tokens } = await signIn(flow.handler, KEY_A);
    const t = tokens.access_token;
    const tampered = t.slice(0, 30) + (t[30] === 'A' ? 'B' : 'A') + t.slice(31);
    challenged(await listWith(flow.handler, tampered));
    // A refresh token is no access token, though sealed alike.
    challenged(await listWith(flow.handler, tokens.refresh_token));
  });

  it('refuses an expired token', async () => {
    const { tokens } = await signIn(flow.handler, KEY_A);
    await flow.later(3601, async () => {
      challenged(await listWith(flow.handler, tokens.access_token));
    });
  });

  it('refuses a token issued for another resource (foreign audience)', async () => {
    // The same deployment reached under another name issues tokens bound to that name's /mcp.
    const other = 'other-name.example.com';
    const clientId = (
      await registerClient(
        flow.handler,
        { client_name: 'Elsewhere', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
        other,
      )
    ).json.client_id;
    const { verifier, challenge } = pkce();
    const page = await authorizePage(
      flow.handler,
      {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      other,
    );
    const submitted = await invoke(flow.handler, {
      path: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: other },
      body: new URLSearchParams({ request: sealedRequestOf(page), api_key: KEY_A }).toString(),
    });
    const code = new URL(submitted.headers.location!).searchParams.get('code')!;
    const tokens = await tokenRequest(
      flow.handler,
      { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId },
      other,
    );
    expect(tokens.status).toBe(200);
    challenged(await listWith(flow.handler, tokens.json.access_token));
  });

  it('keeps accepting tokens sealed with the previous secret after a rotation, and none after the next', async () => {
    const before = flow.handlerWith({ keys: fixedSecret(OLD_TEST_SECRET), redemptions: memoryRedemptionStore() });
    const { tokens } = await signIn(before, KEY_A);
    const rotated = flow.handlerWith({ keys: fixedSecret(TEST_SECRET, OLD_TEST_SECRET) });
    expect((await listWith(rotated, tokens.access_token)).status).toBe(200);
    const again = flow.handlerWith({ keys: fixedSecret(`${TEST_SECRET}-next`, TEST_SECRET) });
    challenged(await listWith(again, tokens.access_token));
  });
});

describe('OAUTH=off', () => {
  it("is today's behaviour exactly: no OAuth endpoints, no 401, a bearer token is a key", async () => {
    const off = flow.handlerWith({}, { OAUTH: 'off' });
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-authorization-server',
      '/oauth/register',
      '/oauth/authorize',
      '/oauth/token',
    ]) {
      expect((await invoke(off, { method: 'GET', path })).status).toBe(404);
    }
    const keyless = await call(off, 'tools/list');
    expect(keyless.status).toBe(200);
    const tokenAsKey = await call(
      off,
      'tools/call',
      { name: 'check_subscription', arguments: {} },
      { authorization: 'Bearer elmcp_at_notakey' },
    );
    expect(tokenAsKey.status).toBe(200);
    expect(textOf(tokenAsKey.body.result)).toContain('ElevenLabs rejected the API key');
  });
});
