import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import { memoryRedemptionStore } from '../../src/oauth/redemptions.js';
import { fixedSecret } from '../../src/oauth/secret.js';
import { createRuntime } from '../../src/runtime.js';
import { call, KEY_A, loopbackFetcher, serveFiles, startStack, type Stack } from '../support/harness.js';
import {
  authorizePage,
  pkce,
  RESOURCE,
  sealedRequestOf,
  submitKey,
  TEST_SECRET,
  tokenRequest,
} from '../support/oauth.js';

/**
 * A client identified by a Client ID Metadata Document: its client_id is the URL of a JSON document
 * naming it and its redirect URIs, fetched through the SSRF-safe fetcher. The document is served on
 * loopback here, which the production policy refuses (https and public addresses only); the stack is
 * given a loopback-admitting fetcher and the http allowance as objects in code, which no environment
 * variable can do, and the last test shows a default runtime refusing the same client.
 */

let stack: Stack;
let files: Awaited<ReturnType<typeof serveFiles>>;
let requests = 0;
const REDIRECT = 'https://cimd-client.example/oauth/callback';

const json = (value: unknown) => ({ type: 'application/json', body: Buffer.from(JSON.stringify(value)) });

beforeAll(async () => {
  stack = await startStack(
    { OAUTH: 'on' },
    {
      keys: fixedSecret(TEST_SECRET),
      redemptions: memoryRedemptionStore(),
      clientFetcher: countingLoopbackFetcher(),
      allowHttpClientDocuments: true,
    },
  );
  const placeholder: Record<string, { type: string; body: Buffer }> = {};
  files = await serveFiles(placeholder);
  Object.assign(placeholder, {
    '/client.json': json({
      client_id: `${files.origin}/client.json`,
      client_name: 'Metadata Client',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'none',
    }),
    '/mismatch.json': json({
      client_id: 'https://someone-else.example/client.json',
      client_name: 'Liar',
      redirect_uris: [REDIRECT],
    }),
    '/secret.json': json({
      client_id: `${files.origin}/secret.json`,
      client_name: 'Secretive',
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'client_secret_basic',
    }),
    '/huge.json': {
      type: 'application/json',
      body: Buffer.from(
        JSON.stringify({
          client_id: `${files.origin}/huge.json`,
          client_name: 'x'.repeat(20_000),
          redirect_uris: [REDIRECT],
        }),
      ),
    },
    '/not-json': { type: 'text/html', body: Buffer.from('<html></html>') },
  });
}, 60_000);

afterAll(async () => {
  await files?.close();
  await stack?.stop();
});

function countingLoopbackFetcher(): ReturnType<typeof loopbackFetcher> {
  const inner = loopbackFetcher();
  const fetch: typeof inner.fetch = (url, limits) => {
    requests += 1;
    return inner.fetch(url, limits);
  };
  return { check: inner.check, fetch };
}

function params(clientId: string, challenge: string): Record<string, string> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's1',
    resource: RESOURCE,
  };
}

describe('a Client ID Metadata Document client', () => {
  it('signs in with no registration: page, key, code, tokens, a tool call', async () => {
    const clientId = `${files.origin}/client.json`;
    const { verifier, challenge } = pkce();
    const page = await authorizePage(stack.handler, params(clientId, challenge));
    expect(page.status).toBe(200);
    expect(page.text).toContain('Metadata Client');
    expect(page.text).toContain('cimd-client.example');
    const submitted = await submitKey(stack.handler, sealedRequestOf(page), KEY_A);
    expect(submitted.status).toBe(303);
    const code = new URL(submitted.headers.location!).searchParams.get('code')!;
    const tokens = await tokenRequest(stack.handler, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id: clientId,
      redirect_uri: REDIRECT,
    });
    expect(tokens.status).toBe(200);
    const listed = await call(stack.handler, 'tools/list', undefined, {
      authorization: `Bearer ${tokens.json.access_token}`,
    });
    expect(listed.status).toBe(200);
  });

  it('is fetched once and cached in the container', async () => {
    const clientId = `${files.origin}/client.json`;
    const before = requests;
    for (let i = 0; i < 3; i++)
      expect((await authorizePage(stack.handler, params(clientId, pkce().challenge))).status).toBe(200);
    expect(requests).toBe(before);
  });

  it(
    'refuses documents that name another client_id, ask for a shared secret, are too large or are no JSON, and ' +
      'redirects nowhere',
    async () => {
      for (const [path, reason] of [
        ['/mismatch.json', 'names another client_id'],
        ['/secret.json', 'accepts metadata-document clients with token_endpoint_auth_method'],
        ['/huge.json', 'could not be fetched'],
        ['/not-json', 'not a JSON object'],
        ['/missing.json', 'could not be fetched'],
      ] as const) {
        const page = await authorizePage(stack.handler, params(`${files.origin}${path}`, pkce().challenge));
        expect(page.status, path).toBe(400);
        expect(page.headers.location).toBeUndefined();
        expect(page.text, path).toContain(reason);
      }
    },
  );

  it('refuses a redirect URI the document does not list', async () => {
    const page = await authorizePage(stack.handler, {
      ...params(`${files.origin}/client.json`, pkce().challenge),
      redirect_uri: 'https://elsewhere.example/cb',
    });
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
  });

  it('cannot be served from loopback to a deployment: the default runtime refuses it', async () => {
    const production = createHandler(
      createRuntime({ ...stack.env, OAUTH: 'on' }, {}, { keys: fixedSecret(TEST_SECRET) }),
    );
    const before = requests;
    const http = await authorizePage(production, params(`${files.origin}/client.json`, pkce().challenge));
    expect(http.status).toBe(400);
    const https = await authorizePage(
      production,
      params(`https://127.0.0.1:${new URL(files.origin).port}/client.json`, pkce().challenge),
    );
    expect(https.status).toBe(400);
    expect(https.text).toContain('loopback');
    expect(requests).toBe(before);
  });
});
