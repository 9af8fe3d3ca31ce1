import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { invoke, JSON_HEADERS, KEY_A, rpc, startStack, type Stack } from '../support/harness.js';

/**
 * The protocol eras on one endpoint, through the real handler: MCP 2026-07-28 (no initialize; version,
 * capabilities and client info in every request's `_meta`, mirrored in headers) and the initialize era
 * (2024-11-05 to 2025-11-25), each answered in the shapes its version defines.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'vitest', version: '1' },
};

/** A 2026-07-28 request as the v2 SDK client sends it: the envelope in `_meta`, the standard headers beside it. */
function modern(
  method: string,
  params: Record<string, unknown> = {},
  options: { headers?: Record<string, string>; id?: unknown; envelope?: object } = {},
) {
  const body = {
    jsonrpc: '2.0',
    id: options.id ?? 1,
    method,
    params: { ...params, _meta: { ...ENVELOPE, ...options.envelope } },
  };
  const name: Record<string, string> = typeof params.name === 'string' ? { 'mcp-name': params.name } : {};
  return invoke(stack.handler, {
    headers: {
      ...JSON_HEADERS,
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...name,
      'x-elevenlabs-api-key': KEY_A,
      ...options.headers,
    },
    body: JSON.stringify(body),
  });
}

const legacy = (body: string, version?: string) =>
  invoke(stack.handler, {
    headers: {
      ...JSON_HEADERS,
      'x-elevenlabs-api-key': KEY_A,
      ...(version ? { 'mcp-protocol-version': version } : {}),
    },
    body,
  });

describe('MCP 2026-07-28', () => {
  it('answers server/discover with the versions, capabilities, cache fields and server info', async () => {
    const r = await modern('server/discover');
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: [MODERN],
      capabilities: {
        tools: { listChanged: false },
        resources: { listChanged: false },
        prompts: { listChanged: false },
        logging: {},
      },
      ttlMs: 300_000,
      cacheScope: 'public',
    });
    expect(r.json.result._meta['io.modelcontextprotocol/serverInfo']).toMatchObject({
      name: 'elevenlabs-mcp-lambda',
      version: VERSION,
    });
  });

  it('lists tools in a fixed order, complete, with cache fields that say the list may vary by request', async () => {
    const [first, second] = [await modern('tools/list'), await modern('tools/list')];
    expect(first.json.result.resultType).toBe('complete');
    expect(first.json.result).toMatchObject({ ttlMs: 300_000, cacheScope: 'private' });
    expect(first.json.result._meta['io.modelcontextprotocol/serverInfo'].name).toBe('elevenlabs-mcp-lambda');
    const names = first.json.result.tools.map((t: { name: string }) => t.name);
    expect(second.json.result.tools.map((t: { name: string }) => t.name)).toEqual(names);
    expect(names).toEqual(stack.runtime.catalog.entries.map((entry) => entry.name));
    const tts = first.json.result.tools.find((t: { name: string }) => t.name === 'text_to_speech');
    expect(tts).toHaveProperty('outputSchema');
    expect(tts).toHaveProperty('title');
  });

  it('narrows the list with x-elevenlabs-tools, and refuses an unknown selection with the request id', async () => {
    const r = await modern('tools/list', {}, { headers: { 'x-elevenlabs-tools': 'tts' } });
    expect(r.json.result.tools.map((t: { name: string }) => t.name)).toContain('text_to_speech');
    expect(r.json.result.tools.length).toBeLessThan(stack.runtime.catalog.size);
    const bad = await modern('tools/list', {}, { headers: { 'x-elevenlabs-tools': 'nope' }, id: 'sel' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ id: 'sel', error: { code: -32600 } });
  });

  it('calls a tool with a complete result, structuredContent and server info', async () => {
    const r = await modern('tools/call', { name: 'check_subscription', arguments: {} });
    expect(r.status).toBe(200);
    expect(r.json.result.resultType).toBe('complete');
    expect(r.json.result.structuredContent.tier).toBe('creator');
    expect(r.json.result._meta['io.modelcontextprotocol/serverInfo'].name).toBe('elevenlabs-mcp-lambda');
  });

  it('processes a tools/call with params.task normally (tasks: an extension this server lacks)', async () => {
    const r = await modern('tools/call', { name: 'check_subscription', arguments: {}, task: { ttl: 60_000 } });
    expect(r.status).toBe(200);
    expect(r.json.result.isError).toBeFalsy();
    expect(r.json.result.structuredContent.tier).toBe('creator');
  });

  it.each([
    ['Mcp-Method', { 'mcp-method': 'tools/call' }],
    ['MCP-Protocol-Version', { 'mcp-protocol-version': '2025-11-25' }],
  ])('refuses a %s header that disagrees with the body: 400, -32020, with the id', async (_name, headers) => {
    const r = await modern('tools/list', {}, { headers, id: 'mismatch' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 'mismatch', error: { code: -32020 } });
  });

  it('refuses an Mcp-Name header that disagrees with the tool called', async () => {
    const r = await modern(
      'tools/call',
      { name: 'check_subscription', arguments: {} },
      { headers: { 'mcp-name': 'text_to_speech' } },
    );
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32020);
  });

  it('refuses a request without the standard headers', async () => {
    const r = await invoke(stack.handler, {
      headers: JSON_HEADERS,
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: { _meta: ENVELOPE } }),
    });
    expect(r.status).toBe(400);
    expect(r.json.id).toBe(9);
  });

  it('answers an unsupported version with -32022 and the versions server/discover names', async () => {
    const r = await modern(
      'tools/list',
      {},
      {
        headers: { 'mcp-protocol-version': '2099-01-01' },
        envelope: { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' },
        id: 'v',
      },
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      id: 'v',
      error: { code: -32022, data: { requested: '2099-01-01', supported: [MODERN] } },
    });
  });

  it.each(['initialize', 'ping', 'logging/setLevel'])(
    'answers %s, which 2026-07-28 removed, with 404 and -32601',
    async (method) => {
      const r = await modern(method, method === 'initialize' ? { protocolVersion: MODERN } : {}, { id: 'removed' });
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ id: 'removed', error: { code: -32601 } });
    },
  );

  it('answers an unknown method with 404 and -32601', async () => {
    const r = await modern('no/such/method');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe(-32601);
  });

  it('lists and reads the player resource; an unknown URI is SEP-2164 not-found (-32602, data.uri)', async () => {
    const list = await modern('resources/list');
    expect(list.json.result.resources.map((r: { uri: string }) => r.uri)).toEqual(['ui://elevenlabs/player.html']);
    expect(list.json.result).toMatchObject({ resultType: 'complete', cacheScope: 'public' });
    const uri = list.json.result.resources[0].uri;
    const read = await modern('resources/read', { uri }, { headers: { 'mcp-name': uri } });
    expect(read.json.result.contents[0]).toMatchObject({ uri, mimeType: 'text/html;profile=mcp-app' });
    expect((await modern('resources/templates/list')).json.result.resourceTemplates).toEqual([]);
    const unknown = await modern(
      'resources/read',
      { uri: 'ui://nope' },
      { headers: { 'mcp-name': 'ui://nope' }, id: 'r' },
    );
    expect(unknown.json).toMatchObject({ id: 'r', error: { code: -32602, data: { uri: 'ui://nope' } } });
    const legacyUnknown = await legacy(rpc('resources/read', { uri: 'ui://nope' }, 'l'), '2025-11-25');
    expect(legacyUnknown.json).toMatchObject({ id: 'l', error: { code: -32602, data: { uri: 'ui://nope' } } });
  });

  it('ignores a stray Mcp-Session-Id and never sends one', async () => {
    const r = await modern('tools/list', {}, { headers: { 'mcp-session-id': 'left-over-from-2025' } });
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toBeUndefined();
  });

  it('sends no log messages: nothing asked for them', async () => {
    const r = await modern('tools/call', { name: 'check_subscription', arguments: {} });
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.text).not.toContain('notifications/message');
  });
});

describe('the initialize era, in the shapes each version defines', () => {
  const initialize = (protocolVersion: string) =>
    rpc('initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'vitest', version: '1' } });

  it.each(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'])('initializes with %s', async (version) => {
    const r = await legacy(initialize(version));
    expect(r.status).toBe(200);
    expect(r.json.result.protocolVersion).toBe(version);
    expect(r.json.result).not.toHaveProperty('resultType');
  });

  it('lists tools with title, outputSchema and annotations from 2025-06-18 on', async () => {
    for (const version of ['2025-11-25', '2025-06-18']) {
      const tts = (await legacy(rpc('tools/list'), version)).json.result.tools.find(
        (t: { name: string }) => t.name === 'text_to_speech',
      );
      expect(tts.title).toBe('Text to speech');
      expect(tts).toHaveProperty('outputSchema');
      expect(tts).toHaveProperty('annotations');
      // The title is said once, at the top, where these versions look first.
      expect(tts.annotations).not.toHaveProperty('title');
    }
  });

  it(
    'lists tools without title and outputSchema for 2025-03-26 (and without a header), without annotations for ' +
      '2024-11-05',
    async () => {
      for (const version of ['2025-03-26', undefined]) {
        for (const tool of (await legacy(rpc('tools/list'), version)).json.result.tools) {
          expect(Object.keys(tool).sort()).toEqual(['annotations', 'description', 'inputSchema', 'name']);
          // Before 2025-06-18 a tool's display name lives in its annotations.
          expect(tool.annotations.title, tool.name).toEqual(expect.any(String));
        }
      }
      for (const tool of (await legacy(rpc('tools/list'), '2024-11-05')).json.result.tools) {
        expect(Object.keys(tool).sort()).toEqual(['description', 'inputSchema', 'name']);
      }
    },
  );

  it(
    'returns text_to_speech with resource_link and structuredContent from 2025-06-18 on, the link in the text for ' +
      'older versions',
    async () => {
      const call = rpc('tools/call', { name: 'text_to_speech', arguments: { text: 'Shapes.', include_audio: true } });
      const modernShape = (await legacy(call, '2025-06-18')).json.result;
      expect(modernShape.content.map((b: { type: string }) => b.type)).toEqual(['text', 'resource_link', 'audio']);
      expect(modernShape.structuredContent.url).toMatch(/^http/);

      const march = (await legacy(call, '2025-03-26')).json.result;
      expect(march.content.map((b: { type: string }) => b.type)).toEqual(['text', 'audio']);
      expect(march).not.toHaveProperty('structuredContent');
      expect(march.content[0].text).toMatch(/Download: http/);

      const november = (await legacy(call, '2024-11-05')).json.result;
      expect(november.content.map((b: { type: string }) => b.type)).toEqual(['text']);
      expect(november.content[0].text).toMatch(/Download: http/);
    },
  );

  it('processes a tools/call carrying params.task normally', async () => {
    const r = await legacy(
      rpc('tools/call', { name: 'check_subscription', arguments: {}, task: { ttl: 60_000 } }),
      '2025-11-25',
    );
    expect(r.status).toBe(200);
    expect(r.json.result.structuredContent.tier).toBe('creator');
  });

  it('answers every request of a batch whose requests share an id', async () => {
    const subscription = rpc('tools/call', { name: 'check_subscription', arguments: {} }, 7);
    const body = `[${rpc('ping', undefined, 7)},${subscription},${rpc('ping', undefined, 8)}]`;
    const r = await legacy(body);
    expect(r.status).toBe(200);
    expect(r.json).toHaveLength(3);
    expect(r.json.filter((a: { id: number }) => a.id === 7)).toHaveLength(2);
    expect(r.json.some((a: { result?: { structuredContent?: unknown; content?: unknown } }) => a.result?.content)).toBe(
      true,
    );
    expect(r.json.find((a: { id: number }) => a.id === 8).result).toEqual({});
  });

  it('keeps the request id on transport-level refusals', async () => {
    const r = await legacy(rpc('ping', undefined, 'keep-me'), '1999-01-01');
    expect(r.status).toBe(400);
    expect(r.json.id).toBe('keep-me');
  });
});
