import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { memoryRedemptionStore } from '../../src/oauth/redemptions.js';
import { fixedSecret } from '../../src/oauth/secret.js';
import { createRuntime } from '../../src/runtime.js';
import { SCOPED_KEY } from '../support/keys.js';
import { call, invoke, JSON_HEADERS, KEY_A, KEY_B, rpc, startStack, textOf, type Stack } from '../support/harness.js';
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
  submitKey,
  TEST_SECRET,
  tokenRequest,
} from '../support/oauth.js';

/**
 * The OAuth authorization server through the real handler (Function URL events in, results out), the
 * fake ElevenLabs checking keys and serving text_to_speech, s3rver storing the audio. Codes and refresh
 * tokens are made single-use by the redemption store: s3rver ignores `If-None-Match` on PUT, so these
 * tests give the in-memory store of the same interface (test/integration/oauth-redemptions.test.ts runs
 * the S3 store against a conditional-write stand-in).
 */

let stack: Stack;
let handler: FunctionUrlHandler;
let clock = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  stack = await startStack(
    { OAUTH: 'on' },
    { keys: fixedSecret(TEST_SECRET), redemptions: memoryRedemptionStore(), now: () => clock },
  );
  handler = stack.handler;
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

const REDIRECT = 'https://client.example/callback';

async function authorizeParams(
  clientId: string,
  overrides: Record<string, string> = {},
): Promise<{ params: Record<string, string>; verifier: string }> {
  const { verifier, challenge } = pkce();
  return {
    verifier,
    params: {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
      resource: RESOURCE,
      ...overrides,
    },
  };
}

async function registered(extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await registerClient(handler, {
    client_name: 'Test Client',
    redirect_uris: [REDIRECT],
    token_endpoint_auth_method: 'none',
    ...extra,
  });
  expect(answer.status).toBe(201);
  return answer.json.client_id;
}

async function codeFor(clientId: string, key = KEY_A): Promise<{ code: string; verifier: string; location: URL }> {
  const { params, verifier } = await authorizeParams(clientId);
  const page = await authorizePage(handler, params);
  const submitted = await submitKey(handler, sealedRequestOf(page), key);
  expect(submitted.status).toBe(303);
  const location = new URL(submitted.headers.location!);
  return { code: location.searchParams.get('code')!, verifier, location };
}

describe('discovery', () => {
  it('answers no credential with 401, the resource metadata URL, and how to send a key instead', async () => {
    const answer = await invoke(handler, { headers: JSON_HEADERS, body: rpc('tools/list') });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe(`Bearer resource_metadata="${RESOURCE_METADATA}"`);
    expect(answer.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32001 } });
    expect(answer.json.error.message).toContain('x-elevenlabs-api-key');
    expect(answer.json.error.message).toContain('Unauthorized');
  });

  it('never answers 401 to a request carrying x-elevenlabs-api-key, even with a bad token beside it', async () => {
    const answer = await call(handler, 'tools/list', undefined, {
      'x-elevenlabs-api-key': KEY_A,
      authorization: 'Bearer elmcp_at_garbage.AAAA',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.result.tools.length).toBeGreaterThan(10);
    // An empty header value counts as missing (mcp-remote sends one when its ${ENV} is unset).
    const empty = await call(handler, 'tools/list', undefined, { 'x-elevenlabs-api-key': '' });
    expect(empty.status).toBe(401);
  });

  it("keeps a bearer token without our prefix as a raw ElevenLabs key (Claude's Messages API)", async () => {
    const answer = await call(
      handler,
      'tools/call',
      { name: 'check_subscription', arguments: {} },
      { authorization: `Bearer ${KEY_B}` },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.result.isError).toBeFalsy();
  });

  it('serves RFC 9728 protected resource metadata at the path-aware and root locations', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const answer = await invoke(handler, { method: 'GET', path });
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
    const answer = await invoke(handler, { method: 'GET', path: '/.well-known/oauth-authorization-server' });
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
    const proxied = createHandler(
      createRuntime(
        { ...stack.env, OAUTH: 'on', PUBLIC_BASE_URL: 'https://mcp.example.com' },
        {},
        { keys: fixedSecret(TEST_SECRET) },
      ),
    );
    const metadata = await invoke(proxied, { method: 'GET', path: '/.well-known/oauth-authorization-server' });
    expect(metadata.json.issuer).toBe('https://mcp.example.com');
    const spoofed = await invoke(handler, {
      method: 'GET',
      path: '/.well-known/oauth-authorization-server',
      headers: { 'x-forwarded-proto': 'http' },
    });
    expect(spoofed.json.issuer).toBe(ORIGIN);
  });
});

describe('the sign-in page', () => {
  it('names the client and its redirect host, explains what happens to the key, and cannot be framed', async () => {
    const clientId = await registered();
    const { params } = await authorizeParams(clientId);
    const page = await authorizePage(handler, params);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Test Client');
    expect(page.text).toContain('client.example');
    expect(page.text).toContain('type="password"');
    expect(page.text).toContain('This server stores no key');
    expect(page.text).not.toMatch(/<script|src=|<link/i);
    const csp = page.headers['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self' https://client.example");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('escapes what the client calls itself', async () => {
    const clientId = await registered({ client_name: '<img src=x onerror=alert(1)>' });
    const { params } = await authorizeParams(clientId);
    const page = await authorizePage(handler, params);
    expect(page.text).not.toContain('<img');
    expect(page.text).toContain('&lt;img src=x');
  });

  it('shows a rejected key the page again with the reason, and redirects nowhere', async () => {
    const clientId = await registered();
    const { params } = await authorizeParams(clientId);
    const page = await authorizePage(handler, params);
    const before = stack.fake.requestsTo(/^\/v1\/models$/).length;
    const refused = await submitKey(handler, sealedRequestOf(page), 'sk_not_a_key_the_fake_knows_0000000000000000');
    expect(refused.status).toBe(400);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.text).toContain('ElevenLabs did not accept this API key');
    expect(refused.text).toContain('name="request"');
    expect(stack.fake.requestsTo(/^\/v1\/models$/).length).toBe(before + 1);
    const blank = await submitKey(handler, sealedRequestOf(page), '  ');
    expect(blank.status).toBe(400);
    expect(blank.headers.location).toBeUndefined();
  });

  it('accepts a real key scoped away from the check (missing_permissions): ElevenLabs calls it valid', async () => {
    const scoped = SCOPED_KEY;
    stack.fake.addKey(scoped, 'missing_permissions');
    const clientId = await registered();
    const { location } = await codeFor(clientId, scoped);
    expect(location.searchParams.get('code')).toMatch(/^elmcp_code_/);
  });

  it('redirects with code, state and iss on success', async () => {
    const clientId = await registered();
    const { location } = await codeFor(clientId);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(ORIGIN);
    expect(location.searchParams.get('code')).toMatch(/^elmcp_code_/);
  });

  it('refuses a form whose sealed request was altered or has expired, or that another site posted', async () => {
    const clientId = await registered();
    const { params } = await authorizeParams(clientId);
    const sealed = sealedRequestOf(await authorizePage(handler, params));
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    for (const answer of [
      await submitKey(handler, flipped, KEY_A),
      await submitKey(handler, sealed, KEY_A, { origin: 'https://evil.example' }),
    ]) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.headers.location).toBeUndefined();
    }
    clock += 601;
    try {
      const expired = await submitKey(handler, sealed, KEY_A);
      expect(expired.status).toBe(400);
      expect(expired.text).toContain('expired');
      expect(expired.headers.location).toBeUndefined();
    } finally {
      clock -= 601;
    }
  });
});

describe('authorization request errors', () => {
  it('never redirects to an unregistered redirect URI, nor for an unknown client', async () => {
    const clientId = await registered();
    const { params } = await authorizeParams(clientId, { redirect_uri: 'https://attacker.example/callback' });
    const page = await authorizePage(handler, params);
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.text).toContain('not one Test Client registered');
    const unknown = await authorizePage(
      handler,
      (await authorizeParams('elmcp_ci_AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).params,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
  });

  it('sends errors after the redirect URI is verified to the client, with state and iss (RFC 6749)', async () => {
    const clientId = await registered();
    const cases: Array<[Record<string, string>, string]> = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ resource: 'https://other.example/mcp' }, 'invalid_target'],
    ];
    for (const [overrides, error] of cases) {
      const { params } = await authorizeParams(clientId, overrides);
      const answer = await authorizePage(handler, params);
      expect(answer.status).toBe(303);
      const location = new URL(answer.headers.location!);
      expect(location.origin + location.pathname).toBe(REDIRECT);
      expect(location.searchParams.get('error')).toBe(error);
      expect(location.searchParams.get('state')).toBe('xyz');
      expect(location.searchParams.get('iss')).toBe(ORIGIN);
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('refuses registrations with redirect URIs that are not https or loopback http', async () => {
    for (const uri of [
      'http://client.example/cb',
      'javascript:alert(1)',
      'https://client.example/cb#frag',
      'cursor://callback',
    ]) {
      const answer = await registerClient(handler, { client_name: 'Bad', redirect_uris: [uri] });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('invalid_redirect_uri');
    }
    const long = Array.from({ length: 5 }, (_, i) => `https://client.example/${String(i).repeat(900)}`);
    expect((await registerClient(handler, { client_name: 'Long', redirect_uris: long })).json.error).toBe(
      'invalid_redirect_uri',
    );
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://localhost:1/cb', 'http://[::1]:9/cb']) {
      expect((await registerClient(handler, { client_name: 'Native', redirect_uris: [uri] })).status).toBe(201);
    }
  });
});

describe('the token endpoint', () => {
  it('exchanges a code once, with the right verifier, for tokens that call tools as the key would', async () => {
    const clientId = await registered();
    const { code, verifier } = await codeFor(clientId);
    const exchange = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
      resource: RESOURCE,
    };
    const tokens = await tokenRequest(handler, exchange);
    expect(tokens.status).toBe(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.json.access_token).toMatch(/^elmcp_at_/);
    expect(tokens.json.refresh_token).toMatch(/^elmcp_rt_/);
    expect(tokens.json.access_token).not.toContain(KEY_A);

    const replay = await tokenRequest(handler, exchange);
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already been used'),
    });

    const spoken = await call(
      handler,
      'tools/call',
      { name: 'text_to_speech', arguments: { text: 'Signed in with OAuth.' } },
      { authorization: `Bearer ${tokens.json.access_token}` },
    );
    expect(spoken.status).toBe(200);
    expect(spoken.body.result.isError).toBeFalsy();
    const url = spoken.body.result.structuredContent.url as string;
    const download = await fetch(url);
    expect(Buffer.from(await download.arrayBuffer()).equals(stack.fake.account(KEY_A)!.audio.at(-1)!)).toBe(true);
    // The same caller as with the header: the same storage prefix, so the header's key lists this audio.
    const listed = await call(
      handler,
      'tools/call',
      { name: 'list_audio', arguments: {} },
      { 'x-elevenlabs-api-key': KEY_A },
    );
    expect(textOf(listed.body.result)).toContain(spoken.body.result.structuredContent.audio_id);
  });

  it('refuses a wrong verifier, a missing one, another client, and another resource', async () => {
    const clientId = await registered();
    const other = await registered();
    const { code, verifier } = await codeFor(clientId);
    const base = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT };
    expect((await tokenRequest(handler, { ...base, code_verifier: pkce().verifier })).json.error).toBe('invalid_grant');
    expect((await tokenRequest(handler, { ...base, code_verifier: '' })).json.error).toBe('invalid_grant');
    expect((await tokenRequest(handler, { ...base, code_verifier: verifier, client_id: other })).json.error).toBe(
      'invalid_grant',
    );
    expect(
      (await tokenRequest(handler, { ...base, code_verifier: verifier, resource: 'https://other.example/mcp' })).json
        .error,
    ).toBe('invalid_target');
    expect(
      (await tokenRequest(handler, { ...base, code_verifier: verifier, redirect_uri: 'https://client.example/other' }))
        .json.error,
    ).toBe('invalid_grant');
    // None of those spent the code.
    expect((await tokenRequest(handler, { ...base, code_verifier: verifier })).status).toBe(200);
  });

  it('answers 401 invalid_client for a client id it never issued, so clients register again', async () => {
    const answer = await tokenRequest(handler, {
      grant_type: 'authorization_code',
      code: 'x',
      code_verifier: pkce().verifier,
      client_id: 'nobody',
    });
    expect(answer.json.error).toBe('invalid_grant');
    const clientId = await registered();
    const { code, verifier } = await codeFor(clientId);
    const forged = await tokenRequest(handler, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: `${clientId.slice(0, -2)}AA`,
    });
    expect(forged.status).toBe(401);
    expect(forged.json.error).toBe('invalid_client');
  });

  it('rejects an expired code', async () => {
    const clientId = await registered();
    const { code, verifier } = await codeFor(clientId);
    clock += 61;
    try {
      const late = await tokenRequest(handler, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: clientId,
      });
      expect(late.json).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('expired'),
      });
    } finally {
      clock -= 61;
    }
  });

  it('authenticates a confidential client by its derived secret', async () => {
    const answer = await registerClient(handler, {
      client_name: 'Confidential',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(answer.json.token_endpoint_auth_method).toBe('client_secret_post');
    const clientId = answer.json.client_id as string;
    const { code, verifier } = await codeFor(clientId);
    const base = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId };
    expect((await tokenRequest(handler, { ...base, client_secret: 'wrong' })).status).toBe(401);
    expect((await tokenRequest(handler, { ...base, client_secret: answer.json.client_secret })).status).toBe(200);
  });

  it('rotates refresh tokens; a used one is refused and revokes its sign-in', async () => {
    const { clientId, tokens } = await signIn(handler, KEY_A);
    const first = await tokenRequest(handler, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: clientId,
    });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(tokens.refresh_token);
    const works = await call(handler, 'tools/list', undefined, { authorization: `Bearer ${first.json.access_token}` });
    expect(works.status).toBe(200);

    const reused = await tokenRequest(handler, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: clientId,
    });
    expect(reused.json).toMatchObject({ error: 'invalid_grant' });
    // Someone replayed a refresh token: the newest one of that sign-in stops working too.
    const after = await tokenRequest(handler, {
      grant_type: 'refresh_token',
      refresh_token: first.json.refresh_token,
      client_id: clientId,
    });
    expect(after.json).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('revoked') });
  });
});

describe('when a dependency fails', () => {
  it('answers the token endpoint with 503 temporarily_unavailable, logs what failed, no 5xx stack', async () => {
    const failing = {
      claim: () => Promise.reject(new Error('S3 is unreachable')),
      revoke: () => Promise.resolve(),
      isRevoked: () => Promise.resolve(false),
    };
    const broken = createHandler(
      createRuntime(
        { ...stack.env, OAUTH: 'on' },
        {},
        { keys: fixedSecret(TEST_SECRET), redemptions: failing, now: () => clock },
      ),
    );
    const clientId = (
      await registerClient(broken, {
        client_name: 'Broken',
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'none',
      })
    ).json.client_id;
    const { params, verifier } = await authorizeParams(clientId);
    const submitted = await submitKey(broken, sealedRequestOf(await authorizePage(broken, params)), KEY_A);
    const code = new URL(submitted.headers.location!).searchParams.get('code')!;
    const answer = await tokenRequest(broken, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
    });
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: 'temporarily_unavailable' });
  });
});

describe('access tokens on /mcp', () => {
  const challenged = (answer: { status: number; headers: Record<string, string> }): void => {
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(answer.headers['www-authenticate']).toContain(`resource_metadata="${RESOURCE_METADATA}"`);
  };

  it('refuses a tampered token', async () => {
    const { tokens } = await signIn(handler, KEY_A);
    const t = tokens.access_token;
    const tampered = t.slice(0, 30) + (t[30] === 'A' ? 'B' : 'A') + t.slice(31);
    challenged(await call(handler, 'tools/list', undefined, { authorization: `Bearer ${tampered}` }));
    // A refresh token is no access token, though sealed alike.
    challenged(await call(handler, 'tools/list', undefined, { authorization: `Bearer ${tokens.refresh_token}` }));
  });

  it('refuses an expired token', async () => {
    const { tokens } = await signIn(handler, KEY_A);
    clock += 3601;
    try {
      challenged(await call(handler, 'tools/list', undefined, { authorization: `Bearer ${tokens.access_token}` }));
    } finally {
      clock -= 3601;
    }
  });

  it('refuses a token issued for another resource (foreign audience)', async () => {
    // The same deployment reached under another name issues tokens bound to that name's /mcp.
    const other = 'other-name.example.com';
    const clientId = (
      await registerClient(
        handler,
        { client_name: 'Elsewhere', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' },
        other,
      )
    ).json.client_id;
    const { verifier, challenge } = pkce();
    const page = await authorizePage(
      handler,
      {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      other,
    );
    const submitted = await invoke(handler, {
      path: '/oauth/authorize',
      headers: { 'content-type': 'application/x-www-form-urlencoded', host: other },
      body: new URLSearchParams({ request: sealedRequestOf(page), api_key: KEY_A }).toString(),
    });
    const code = new URL(submitted.headers.location!).searchParams.get('code')!;
    const tokens = await tokenRequest(
      handler,
      { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId },
      other,
    );
    expect(tokens.status).toBe(200);
    challenged(await call(handler, 'tools/list', undefined, { authorization: `Bearer ${tokens.json.access_token}` }));
  });

  it('keeps accepting tokens sealed with the previous secret after a rotation, and none after the next', async () => {
    const before = createHandler(
      createRuntime(
        { ...stack.env, OAUTH: 'on' },
        {},
        { keys: fixedSecret(OLD_TEST_SECRET), redemptions: memoryRedemptionStore() },
      ),
    );
    const { tokens } = await signIn(before, KEY_A);
    const rotated = createHandler(
      createRuntime({ ...stack.env, OAUTH: 'on' }, {}, { keys: fixedSecret(TEST_SECRET, OLD_TEST_SECRET) }),
    );
    expect(
      (await call(rotated, 'tools/list', undefined, { authorization: `Bearer ${tokens.access_token}` })).status,
    ).toBe(200);
    const again = createHandler(
      createRuntime({ ...stack.env, OAUTH: 'on' }, {}, { keys: fixedSecret(`${TEST_SECRET}-next`, TEST_SECRET) }),
    );
    challenged(await call(again, 'tools/list', undefined, { authorization: `Bearer ${tokens.access_token}` }));
  });
});

describe('OAUTH=off', () => {
  it("is today's behaviour exactly: no OAuth endpoints, no 401, a bearer token is a key", async () => {
    const off = createHandler(createRuntime({ ...stack.env, OAUTH: 'off' }));
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
