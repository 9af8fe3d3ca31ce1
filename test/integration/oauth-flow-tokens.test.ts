import { describe, expect, it } from 'vitest';
import { fixedSecret } from '../../src/oauth/secret.js';
import { call, KEY_A, textOf } from '../support/harness.js';
import { pkce, RESOURCE, registerClient, signIn, TEST_SECRET, tokenRequest } from '../support/oauth.js';
import { codeFor, REDIRECT, registered, useOAuthFlow } from '../support/oauth-flow.js';

/**
 * The token endpoint of the OAuth authorization server through the real handler (Function URL events in,
 * results out): codes exchanged once for tokens that call tools as the key would (the fake ElevenLabs
 * serving text_to_speech, s3rver storing the audio), what it refuses, refresh-token rotation, and its
 * answer when the redemption store fails.
 */

const flow = useOAuthFlow();

describe('the token endpoint', () => {
  it('exchanges a code once, with the right verifier, for tokens that call tools as the key would', async () => {
    const clientId = await registered(flow.handler);
    const { code, verifier } = await codeFor(flow.handler, clientId);
    const exchange = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
      resource: RESOURCE,
    };
    const tokens = await tokenRequest(flow.handler, exchange);
    expect(tokens.status).toBe(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    expect(tokens.json).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(tokens.json.access_token).toMatch(/^elmcp_at_/);
    expect(tokens.json.refresh_token).toMatch(/^elmcp_rt_/);
    expect(tokens.json.access_token).not.toContain(KEY_A);

    const replay = await tokenRequest(flow.handler, exchange);
    expect(replay.status).toBe(400);
    expect(replay.json).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already been used'),
    });

    const spoken = await call(
      flow.handler,
      'tools/call',
      { name: 'text_to_speech', arguments: { text: 'Signed in with OAuth.' } },
      { authorization: `Bearer ${tokens.json.access_token}` },
    );
    expect(spoken.status).toBe(200);
    expect(spoken.body.result.isError).toBeFalsy();
    const url = spoken.body.result.structuredContent.url as string;
    const download = await fetch(url);
    const spokenAudio = flow.stack.fake.account(KEY_A)!.audio.at(-1)!;
    expect(Buffer.from(await download.arrayBuffer()).equals(spokenAudio)).toBe(true);
    // The same caller as with the header: the same storage prefix, so the header's key lists this audio.
    const listed = await call(
      flow.handler,
      'tools/call',
      { name: 'list_audio', arguments: {} },
      { 'x-elevenlabs-api-key': KEY_A },
    );
    expect(textOf(listed.body.result)).toContain(spoken.body.result.structuredContent.audio_id);
  });

  it('refuses a wrong verifier, a missing one, another client, and another resource', async () => {
    const clientId = await registered(flow.handler);
    const other = await registered(flow.handler);
    const { code, verifier } = await codeFor(flow.handler, clientId);
    const base = { grant_type: 'authorization_code', code, client_id: clientId, redirect_uri: REDIRECT };
    const errorOf = async (params: Record<string, string>) => (await tokenRequest(flow.handler, params)).json.error;
    expect(await errorOf({ ...base, code_verifier: pkce().verifier })).toBe('invalid_grant');
    expect(await errorOf({ ...base, code_verifier: '' })).toBe('invalid_grant');
    expect(await errorOf({ ...base, code_verifier: verifier, client_id: other })).toBe('invalid_grant');
    expect(await errorOf({ ...base, code_verifier: verifier, resource: 'https://other.example/mcp' })).toBe(
      'invalid_target',
    );
    expect(await errorOf({ ...base, code_verifier: verifier, redirect_uri: 'https://client.example/other' })).toBe(
      'invalid_grant',
    );
    // None of those spent the code.
    expect((await tokenRequest(flow.handler, { ...base, code_verifier: verifier })).status).toBe(200);
  });

  it('answers 401 invalid_client for a client id it never issued, so clients register again', async () => {
    const answer = await tokenRequest(flow.handler, {
      grant_type: 'authorization_code',
      code: 'x',
      code_verifier: pkce().verifier,
      client_id: 'nobody',
    });
    expect(answer.json.error).toBe('invalid_grant');
    const clientId = await registered(flow.handler);
    const { code, verifier } = await codeFor(flow.handler, clientId);
    const forged = await tokenRequest(flow.handler, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: `${clientId.slice(0, -2)}AA`,
    });
    expect(forged.status).toBe(401);
    expect(forged.json.error).toBe('invalid_client');
  });

  it('rejects an expired code', async () => {
    const clientId = await registered(flow.handler);
    const { code, verifier } = await codeFor(flow.handler, clientId);
    await flow.later(61, async () => {
      const late = await tokenRequest(flow.handler, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: clientId,
      });
      expect(late.json).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('expired'),
      });
    });
  });

  it('authenticates a confidential client by its derived secret', async () => {
    const answer = await registerClient(flow.handler, {
      client_name: 'Confidential',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(answer.json.token_endpoint_auth_method).toBe('client_secret_post');
    const clientId = answer.json.client_id as string;
    const { code, verifier } = await codeFor(flow.handler, clientId);
    const base = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId };
    expect((await tokenRequest(flow.handler, { ...base, client_secret: 'wrong' })).status).toBe(401);
    const right = await tokenRequest(flow.handler, { ...base, client_secret: answer.json.client_secret });
    expect(right.status).toBe(200);
  });

  it('rotates refresh tokens; a used one is refused and revokes its sign-in', async () => {
    const { clientId, tokens } = await signIn(flow.handler, KEY_A);
    const refresh = (refreshToken: string) =>
      tokenRequest(flow.handler, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
    const first = await refresh(tokens.refresh_token);
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).not.toBe(tokens.refresh_token);
    const authorization = `Bearer ${first.json.access_token}`;
    const works = await call(flow.handler, 'tools/list', undefined, { authorization });
    expect(works.status).toBe(200);

    const reused = await refresh(tokens.refresh_token);
    expect(reused.json).toMatchObject({ error: 'invalid_grant' });
    // Someone replayed a refresh token: the newest one of that sign-in stops working too.
    const after = await refresh(first.json.refresh_token);
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
    const broken = flow.handlerWith({ keys: fixedSecret(TEST_SECRET), redemptions: failing, now: flow.now });
    const clientId = await registered(broken, { client_name: 'Broken' });
    const { code, verifier } = await codeFor(broken, clientId);
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
