import { describe, expect, it } from 'vitest';
import { KEY_A } from '../support/harness.js';
import { SCOPED_KEY } from '../support/keys.js';
import { authorizePage, ORIGIN, registerClient, sealedRequestOf, submitKey } from '../support/oauth.js';
import { authorizeParams, codeFor, REDIRECT, registered, useOAuthFlow } from '../support/oauth-flow.js';

/**
 * Client registration, the authorization request and the sign-in page of the OAuth authorization server,
 * through the real handler (Function URL events in, results out), the fake ElevenLabs checking the keys
 * typed into the page: what the page shows, which forms it accepts, and where errors go.
 */

const flow = useOAuthFlow();

describe('the sign-in page', () => {
  it('names the client and its redirect host, explains what happens to the key, and cannot be framed', async () => {
    const clientId = await registered(flow.handler);
    const { params } = authorizeParams(clientId);
    const page = await authorizePage(flow.handler, params);
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
    const clientId = await registered(flow.handler, { client_name: '<img src=x onerror=alert(1)>' });
    const { params } = authorizeParams(clientId);
    const page = await authorizePage(flow.handler, params);
    expect(page.text).not.toContain('<img');
    expect(page.text).toContain('&lt;img src=x');
  });

  it('shows a rejected key the page again with the reason, and redirects nowhere', async () => {
    const clientId = await registered(flow.handler);
    const { params } = authorizeParams(clientId);
    const page = await authorizePage(flow.handler, params);
    const before = flow.stack.fake.requestsTo(/^\/v1\/models$/).length;
    const unknownKey = 'sk_not_a_key_the_fake_knows_0000000000000000';
    const refused = await submitKey(flow.handler, sealedRequestOf(page), unknownKey);
    expect(refused.status).toBe(400);
    expect(refused.headers.location).toBeUndefined();
    expect(refused.text).toContain('ElevenLabs did not accept this API key');
    expect(refused.text).toContain('name="request"');
    expect(flow.stack.fake.requestsTo(/^\/v1\/models$/).length).toBe(before + 1);
    const blank = await submitKey(flow.handler, sealedRequestOf(page), '  ');
    expect(blank.status).toBe(400);
    expect(blank.headers.location).toBeUndefined();
  });

  it('accepts a real key scoped away from the check (missing_permissions): ElevenLabs calls it valid', async () => {
    const scoped = SCOPED_KEY;
    flow.stack.fake.addKey(scoped, 'missing_permissions');
    const clientId = await registered(flow.handler);
    const { location } = await codeFor(flow.handler, clientId, scoped);
    expect(location.searchParams.get('code')).toMatch(/^elmcp_code_/);
  });

  it('redirects with code, state and iss on success', async () => {
    const clientId = await registered(flow.handler);
    const { location } = await codeFor(flow.handler, clientId);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(ORIGIN);
    expect(location.searchParams.get('code')).toMatch(/^elmcp_code_/);
  });

  it('refuses a form whose sealed request was altered or has expired, or that another site posted', async () => {
    const clientId = await registered(flow.handler);
    const { params } = authorizeParams(clientId);
    const sealed = sealedRequestOf(await authorizePage(flow.handler, params));
    const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
    for (const answer of [
      await submitKey(flow.handler, flipped, KEY_A),
      await submitKey(flow.handler, sealed, KEY_A, { origin: 'https://evil.example' }),
    ]) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.headers.location).toBeUndefined();
    }
    await flow.later(601, async () => {
      const expired = await submitKey(flow.handler, sealed, KEY_A);
      expect(expired.status).toBe(400);
      expect(expired.text).toContain('expired');
      expect(expired.headers.location).toBeUndefined();
    });
  });
});

describe('authorization request errors', () => {
  it('never redirects to an unregistered redirect URI, nor for an unknown client', async () => {
    const clientId = await registered(flow.handler);
    const { params } = authorizeParams(clientId, { redirect_uri: 'https://attacker.example/callback' });
    const page = await authorizePage(flow.handler, params);
    expect(page.status).toBe(400);
    expect(page.headers.location).toBeUndefined();
    expect(page.text).toContain('not one Test Client registered');
    const unknown = await authorizePage(
      flow.handler,
      authorizeParams('elmcp_ci_AAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').params,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.headers.location).toBeUndefined();
  });

  it('sends errors after the redirect URI is verified to the client, with state and iss (RFC 6749)', async () => {
    const clientId = await registered(flow.handler);
    const cases: Array<[Record<string, string>, string]> = [
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge: '' }, 'invalid_request'],
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ resource: 'https://other.example/mcp' }, 'invalid_target'],
    ];
    for (const [overrides, error] of cases) {
      const { params } = authorizeParams(clientId, overrides);
      const answer = await authorizePage(flow.handler, params);
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
      const answer = await registerClient(flow.handler, { client_name: 'Bad', redirect_uris: [uri] });
      expect(answer.status).toBe(400);
      expect(answer.json.error).toBe('invalid_redirect_uri');
    }
    const long = Array.from({ length: 5 }, (_, i) => `https://client.example/${String(i).repeat(900)}`);
    expect((await registerClient(flow.handler, { client_name: 'Long', redirect_uris: long })).json.error).toBe(
      'invalid_redirect_uri',
    );
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://localhost:1/cb', 'http://[::1]:9/cb']) {
      const native = await registerClient(flow.handler, { client_name: 'Native', redirect_uris: [uri] });
      expect(native.status).toBe(201);
    }
  });
});
