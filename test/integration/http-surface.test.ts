import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { LEGACY_PROTOCOL_VERSIONS, PROTOCOL_VERSIONS } from '../../src/mcp/protocol-versions.js';
import { createRuntime } from '../../src/runtime.js';
import { VERSION } from '../../src/version.js';
import {
  invoke,
  JSON_HEADERS,
  KEY_A,
  rpc,
  SESSION_HEADERS,
  startStack,
  type EventSpec,
  type Stack,
} from '../support/harness.js';

/** Every row of the HTTP table in ../shared/reference/mcp-http.md, through the real handler. */

let stack: Stack;
let handler: FunctionUrlHandler;

beforeAll(async () => {
  stack = await startStack({ ALLOWED_ORIGINS: 'https://app.example.com' });
  handler = stack.handler;
});
afterAll(() => stack.stop());

const send = (spec: EventSpec, h: FunctionUrlHandler = handler) => invoke(h, spec);

const post = (body: string, headers: Record<string, string> = {}) =>
  send({ headers: { ...JSON_HEADERS, ...headers }, body });
const initialize = (protocolVersion = '2025-06-18') =>
  rpc('initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'vitest', version: '1' } });

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
    const body = `[${rpc('ping', undefined, 'a')},{"jsonrpc":"2.0","method":"notifications/initialized"},${rpc('tools/list', undefined, 'b')}]`;
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

describe('tools', () => {
  it('lists tools without a key, each with input and output schemas and honest annotations', async () => {
    const r = await post(rpc('tools/list'), SESSION_HEADERS);
    const tools = r.json.result.tools as Array<Record<string, any>>;
    expect(tools.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'text_to_speech',
        'search_voices',
        'get_voice',
        'list_models',
        'check_subscription',
        'get_audio_url',
      ]),
    );
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema.type).toBe('object');
      expect(tool.annotations).toHaveProperty('readOnlyHint');
      expect(typeof tool.description).toBe('string');
    }
    const tts = tools.find((t) => t.name === 'text_to_speech')!;
    expect(tts.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false, openWorldHint: true });
    expect(tts.description).toMatch(/costs ElevenLabs credits/i);
    expect(tts.inputSchema.required).toEqual(['text']);
    expect(tts.inputSchema.properties.output_format.enum).toHaveLength(28);
    expect(Object.keys(tts.outputSchema.properties)).toEqual(
      expect.arrayContaining([
        'url',
        'expires_at',
        'audio_id',
        'mime_type',
        'bytes',
        'format',
        'voice_id',
        'model_id',
        'characters_billed',
      ]),
    );
  });

  it('answers an unknown tool with the protocol error -32602', async () => {
    const r = await post(rpc('tools/call', { name: 'no_such_tool', arguments: {} }), { 'x-elevenlabs-api-key': KEY_A });
    expect(r.status).toBe(200);
    expect(r.json.error.code).toBe(-32602);
    expect(r.json.error.message).toContain('no_such_tool');
  });

  it('answers bad arguments with an isError result the model can act on, without calling ElevenLabs', async () => {
    stack.fake.clear();
    const r = await post(
      rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'hi', stability: 3, output_format: 'mp3_1_1' } }),
      {
        'x-elevenlabs-api-key': KEY_A,
      },
    );
    expect(r.json.result.isError).toBe(true);
    const text = r.json.result.content[0].text as string;
    expect(text).toContain('stability');
    expect(text).toContain('output_format');
    expect(stack.fake.requests).toHaveLength(0);
  });

  it('answers a key-needing tool without a key with the exact fix', async () => {
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }));
    expect(r.json.result.isError).toBe(true);
    const text = r.json.result.content[0].text as string;
    expect(text).toContain('x-elevenlabs-api-key');
    expect(text).toContain('"--header", "x-elevenlabs-api-key:${ELEVENLABS_API_KEY}"');
    expect(text).toContain('Authorization: Bearer');
  });

  it('treats an empty key header as missing and then accepts Authorization: Bearer', async () => {
    stack.fake.clear();
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }), {
      ...SESSION_HEADERS,
      'x-elevenlabs-api-key': '',
      authorization: `Bearer ${KEY_A}`,
    });
    expect(r.json.result.isError).toBeFalsy();
    expect(r.json.result.structuredContent.tier).toBe('creator');
    expect(stack.fake.requests[0]!.headers['xi-api-key']).toBe(KEY_A);
  });

  it('refuses a key header sent twice (comma-joined by the Function URL) without guessing', async () => {
    const r = await post(rpc('tools/call', { name: 'check_subscription', arguments: {} }), {
      'x-elevenlabs-api-key': `${KEY_A},${KEY_A}`,
    });
    expect(r.json.result.isError).toBe(true);
    expect(r.json.result.content[0].text).toContain('sent more than once');
    expect(r.text).not.toContain(KEY_A);
  });
});

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
    const strict = createHandler(createRuntime({ ...stack.env, ALLOWED_ORIGINS: '' }));
    expect(
      (await send({ headers: { ...JSON_HEADERS, origin: 'https://app.example.com' }, body: rpc('ping') }, strict))
        .status,
    ).toBe(403);
    expect((await send({ headers: JSON_HEADERS, body: rpc('ping') }, strict)).status).toBe(200);
  });
});

describe('choosing the tools a caller sees', () => {
  it('narrows tools/list and tools/call with the x-elevenlabs-tools header', async () => {
    const list = await post(rpc('tools/list'), { 'x-elevenlabs-tools': 'voices' });
    const names = list.json.result.tools.map((t: { name: string }) => t.name);
    expect(names).toEqual(expect.arrayContaining(['search_voices', 'get_voice']));
    expect(names).not.toContain('text_to_speech');
    const call = await post(rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'hi' } }), {
      'x-elevenlabs-tools': 'voices',
      'x-elevenlabs-api-key': KEY_A,
    });
    expect(call.json.error.code).toBe(-32602);
  });

  it('answers 400 naming the unknown entry in x-elevenlabs-tools', async () => {
    const r = await post(rpc('tools/list'), { 'x-elevenlabs-tools': 'voices,nonsense' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('"nonsense"');
  });

  it('applies ENABLED_TOOLS to the whole deployment, and fails fast at start-up on an unknown entry', async () => {
    const narrow = createHandler(createRuntime({ ...stack.env, ENABLED_TOOLS: 'account' }));
    const r = await send({ headers: JSON_HEADERS, body: rpc('tools/list') }, narrow);
    expect(r.json.result.tools.map((t: { name: string }) => t.name)).toEqual(['check_subscription']);
    expect(() => createRuntime({ ...stack.env, ENABLED_TOOLS: 'account,bogus' })).toThrow(
      /ENABLED_TOOLS: Unknown tool or group "bogus"/,
    );
  });
});
