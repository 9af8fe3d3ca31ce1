import { describe, expect, it } from 'vitest';
import { createHandler } from '../../src/handler.js';
import { PROTOCOL_VERSIONS } from '../../src/mcp/protocol-versions.js';
import { createRuntime } from '../../src/runtime.js';
import { VERSION } from '../../src/version.js';
import { JSON_HEADERS, KEY_A, rpc } from '../support/harness.js';
import { useHttpSurface } from '../support/http-surface.js';

/**
 * The rows of the HTTP table in ../shared/reference/mcp-http.md about methods, paths and origins, through
 * the real handler: 405 and Allow, preflights, 404s, /health, and ALLOWED_ORIGINS with CORS.
 */

const surface = useHttpSurface();
const { post, send } = surface;

describe('other methods and paths', () => {
  it.each(['GET', 'DELETE'])(
    'answers %s /mcp with 405 and Allow: POST, OPTIONS at once, even asking for SSE',
    async (method) => {
      const r = await send({ method, headers: { accept: 'text/event-stream', 'x-elevenlabs-api-key': KEY_A } });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('POST, OPTIONS');
    },
  );

  it('says in a preflight exactly what the 405 answers say each path serves', async () => {
    const mcp = await send({ method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
    expect(mcp.status).toBe(204);
    expect(mcp.headers.allow).toBe('POST, OPTIONS');
    expect(mcp.headers['access-control-allow-methods']).toBe('POST, OPTIONS');
    expect(mcp.headers['access-control-allow-headers']).toContain('mcp-method');
    const health = await send({ method: 'OPTIONS', path: '/health' });
    expect(health.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect((await send({ method: 'POST', path: '/health', headers: JSON_HEADERS, body: '{}' })).headers.allow).toBe(
      'GET, HEAD, OPTIONS',
    );
  });

  it.each(['PUT', 'PATCH'])('answers %s /mcp with 405', async (method) => {
    const r = await send({ method, headers: JSON_HEADERS, body: rpc('ping') });
    expect(r.status).toBe(405);
  });

  it.each([
    '/',
    '/mcp/extra',
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-protected-resource/mcp',
    '/.well-known/openid-configuration',
  ])('answers 404 on %s without a key', async (path) => {
    const r = await send({ method: 'GET', path });
    expect(r.status).toBe(404);
    expect(r.text).not.toMatch(/unauthori[sz]ed/i);
  });

  it('serves GET /health with status, version and the supported protocol versions', async () => {
    const r = await send({ method: 'GET', path: '/health' });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      status: 'ok',
      version: VERSION,
      protocolVersions: PROTOCOL_VERSIONS,
      latestProtocolVersion: '2026-07-28',
      storage: 'configured',
    });
  });
});

describe('origins and CORS', () => {
  it('answers 403 to an Origin outside ALLOWED_ORIGINS, on every method, with no CORS headers', async () => {
    for (const method of ['POST', 'OPTIONS', 'GET']) {
      const r = await send({
        method,
        headers: { ...JSON_HEADERS, origin: 'https://evil.example' },
        body: method === 'POST' ? rpc('ping') : undefined,
      });
      expect(r.status).toBe(403);
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
    const health = await send({ method: 'GET', path: '/health', headers: { origin: 'https://evil.example' } });
    expect(health.status).toBe(403);
  });

  it("answers an allowed origin's preflight with 204 and the headers MCP clients send", async () => {
    const r = await send({
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(r.status).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(r.headers['access-control-allow-methods']).toContain('POST');
    for (const header of ['content-type', 'authorization', 'x-elevenlabs-api-key', 'mcp-protocol-version']) {
      expect(r.headers['access-control-allow-headers']).toContain(header);
    }
  });

  it("adds CORS headers to an allowed origin's POST, once", async () => {
    const r = await post(rpc('ping'), { origin: 'https://app.example.com' });
    expect(r.status).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBe('https://app.example.com');
  });

  it('denies every browser origin by default (ALLOWED_ORIGINS empty) but not clients without Origin', async () => {
    const strict = createHandler(createRuntime({ ...surface.stack.env, ALLOWED_ORIGINS: '' }));
    expect(
      (await send({ headers: { ...JSON_HEADERS, origin: 'https://app.example.com' }, body: rpc('ping') }, strict))
        .status,
    ).toBe(403);
    expect((await send({ headers: JSON_HEADERS, body: rpc('ping') }, strict)).status).toBe(200);
  });
});
