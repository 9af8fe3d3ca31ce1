import { describe, expect, it } from 'vitest';
import { LEGACY_PROTOCOL_VERSIONS, PROTOCOL_VERSIONS } from '../../src/mcp/protocol-versions.js';
import { VERSION } from '../../src/version.js';
import { rpc } from '../support/harness.js';
import { initialize, useHttpSurface } from '../support/http-surface.js';

/**
 * The rows of the HTTP table in ../shared/reference/mcp-http.md about POST /mcp, through the real
 * handler: status codes, content negotiation, protocol versions, JSON-RPC errors, and batches.
 */

const { post, send } = useHttpSurface();

describe('POST /mcp', () => {
  it('answers a request with 200 application/json, one JSON-RPC response and no session id', async () => {
    const r = await post(initialize());
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['mcp-session-id']).toBeUndefined();
    expect(r.json.jsonrpc).toBe('2.0');
    expect(r.json.result.protocolVersion).toBe('2025-06-18');
    expect(r.json.result.capabilities).toEqual({
      tools: { listChanged: false },
      resources: { listChanged: false },
      prompts: { listChanged: false },
      logging: {},
    });
    expect(r.json.result.serverInfo).toMatchObject({ name: 'elevenlabs-mcp-lambda', version: VERSION });
  });

  it('answers 202 with an empty body for notifications and for responses', async () => {
    const notification = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(notification.status).toBe(202);
    expect(notification.text).toBe('');
    const response = await post(JSON.stringify({ jsonrpc: '2.0', id: 7, result: {} }));
    expect(response.status).toBe(202);
    expect(response.text).toBe('');
  });

  it('negotiates an unknown initialize version to our latest instead of failing', async () => {
    const r = await post(initialize('2099-01-01'));
    expect(r.status).toBe(200);
    expect(r.json.result.protocolVersion).toBe(LEGACY_PROTOCOL_VERSIONS[0]);
  });

  it('works for curl: only Content-Type, no Accept; and with Accept */*', async () => {
    const bare = await send({ headers: { 'content-type': 'application/json' }, body: rpc('ping') });
    expect(bare.status).toBe(200);
    expect(bare.json.result).toEqual({});
    const star = await send({
      headers: { 'content-type': 'application/json', accept: '*/*' },
      body: rpc('tools/list'),
    });
    expect(star.status).toBe(200);
    expect(star.json.result.tools.length).toBeGreaterThan(0);
  });

  it('refuses an Accept that admits no JSON with 406', async () => {
    const r = await send({ headers: { 'content-type': 'application/json', accept: 'text/html' }, body: rpc('ping') });
    expect(r.status).toBe(406);
  });

  it('answers 415 when Content-Type is not JSON', async () => {
    const r = await send({ headers: { 'content-type': 'text/plain', accept: 'application/json' }, body: rpc('ping') });
    expect(r.status).toBe(415);
    expect(r.json.error.message).toContain('Content-Type: application/json');
  });

  it('answers 400 / -32700 with id null for invalid JSON', async () => {
    const r = await post('{"jsonrpc": "2.0", "id": 1, "method": ');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32700, message: expect.stringContaining('not valid JSON') },
    });
  });

  it.each([
    ['a JSON value that is no message', '42'],
    ['an object without jsonrpc', '{"id":1,"method":"ping"}'],
    ['a method that is not a string', '{"jsonrpc":"2.0","id":1,"method":5}'],
    ['an empty batch', '[]'],
  ])('answers 400 / -32600 for %s', async (_name, body) => {
    const r = await post(body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32600);
  });

  it('answers 400 for an unsupported MCP-Protocol-Version header and accepts every supported one', async () => {
    const bad = await post(rpc('ping', undefined, 'v'), { 'mcp-protocol-version': '1999-01-01' });
    expect(bad.status).toBe(400);
    expect(bad.json.id).toBe('v');
    expect(bad.json.error.code).toBe(-32022);
    expect(bad.json.error.message).toContain('Unsupported MCP-Protocol-Version "1999-01-01"');
    expect(bad.json.error.data).toEqual({ supported: PROTOCOL_VERSIONS, requested: '1999-01-01' });
    for (const version of LEGACY_PROTOCOL_VERSIONS) {
      expect((await post(rpc('ping'), { 'mcp-protocol-version': version })).status).toBe(200);
    }
  });

  it('never answers 401 or says "Unauthorized" when the key is missing', async () => {
    const list = await post(rpc('tools/list'));
    const call = await post(rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'hi' } }));
    for (const r of [list, call]) {
      expect(r.status).toBe(200);
      expect(r.text).not.toMatch(/unauthori[sz]ed/i);
    }
  });
});

describe('batches (2025-03-26)', () => {
  it('answers a batch with an array of responses, leaving notifications out', async () => {
    const notification = '{"jsonrpc":"2.0","method":"notifications/initialized"}';
    const body = `[${rpc('ping', undefined, 'a')},${notification},${rpc('tools/list', undefined, 'b')}]`;
    const r = await post(body);
    expect(r.status).toBe(200);
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.json.map((m: { id: string }) => m.id).sort()).toEqual(['a', 'b']);
  });

  it('answers a one-element batch with an array', async () => {
    const r = await post(`[${rpc('ping', undefined, 'only')}]`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual([{ jsonrpc: '2.0', id: 'only', result: {} }]);
  });

  it('answers a batch of notifications only with 202', async () => {
    const r = await post('[{"jsonrpc":"2.0","method":"notifications/initialized"}]');
    expect(r.status).toBe(202);
  });

  it('refuses a batch holding initialize with 400 / -32600', async () => {
    const r = await post(`[${initialize()}]`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32600);
  });

  it('refuses batches under protocol versions that removed them', async () => {
    const r = await post(`[${rpc('ping')}]`, { 'mcp-protocol-version': '2025-06-18' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('batches are part of MCP 2025-03-26 only, not 2025-06-18');
  });

  it('answers a request with invalid params inside a batch with -32602, and the others normally', async () => {
    const r = await post(`[${rpc('ping', undefined, 'ok')},${rpc('tools/call', { arguments: {} }, 'bad')}]`);
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.json.map((m: { id: string }) => [m.id, m]));
    expect(byId.ok.result).toEqual({});
    expect(byId.bad.error.code).toBe(-32602);
    expect(byId.bad.error.message).toMatch(/^Invalid params for tools\/call: params\.name/);
  });

  it('refuses a batch with an invalid member, naming it', async () => {
    const r = await post(`[${rpc('ping')},{"jsonrpc":"2.0","id":2}]`);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32600);
    expect(r.json.error.message).toContain('batch item 1');
  });
});
