import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { describe, expect, it } from 'vitest';
import { deadlineFrom } from '../../src/elevenlabs/client.js';
import { createHandler, TOOLS_HEADER } from '../../src/handler.js';
import { toFunctionUrlResult } from '../../src/http/response-builder.js';
import { createMcpServer } from '../../src/mcp/server-factory.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { invoke, JSON_HEADERS } from '../support/harness.js';

/**
 * The handler answers a lone tools/list from the catalog's JSON text instead of through the SDK's
 * transport. That is only right while the two answers are the same: this compares them byte for byte,
 * the transport's answer produced here by the SDK itself for the same message and tool selection.
 */
async function transportAnswer(runtime: Runtime, message: unknown, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const tools = runtime.catalog.view(headers[TOOLS_HEADER] ?? null);
  const server = createMcpServer(runtime, { credential: { kind: 'missing' }, deadline: deadlineFrom(30_000), trace: {} }, tools);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    const request = new Request('https://example.lambda-url.us-east-1.on.aws/mcp', { method: 'POST', headers: { ...JSON_HEADERS, ...headers } });
    const result = await toFunctionUrlResult(await transport.handleRequest(request, { parsedBody: message }));
    return { status: result.statusCode ?? 200, headers: result.headers ?? {}, text: result.body ?? '' };
  } finally {
    await server.close();
  }
}

const IDS: Array<string | number> = [1, 0, -7, 9_007_199_254_740_991, 'a', '', 'id with "quotes" and \\ and \u00e9 and \u{1F600}'];
const PARAMS: Array<Record<string, unknown> | undefined> = [undefined, {}, { cursor: 'next' }, { _meta: { progressToken: 'p-1' } }];
const selections = (...values: string[]): Array<Record<string, string>> => [{}, ...values.map((value) => ({ [TOOLS_HEADER]: value }))];

describe('tools/list answered from the catalog\'s JSON text', () => {
  const deployments: Array<[string, Runtime, Array<Record<string, string>>]> = [
    ['every tool', createRuntime({ LOG_LEVEL: 'silent', OAUTH: 'off' }), selections('tts', 'voices, audio', 'check_subscription')],
    ['ENABLED_TOOLS=tts,audio', createRuntime({ LOG_LEVEL: 'silent', OAUTH: 'off', ENABLED_TOOLS: 'tts,audio' }), selections('audio', 'TTS', 'get_audio_url')],
  ];

  for (const [deployment, runtime, selectionsHere] of deployments) {
    it(`is byte for byte the SDK transport's answer (${deployment}), for any id, params and selection`, async () => {
      const handler = createHandler(runtime);
      let compared = 0;
      for (const id of IDS) {
        for (const params of PARAMS) {
          for (const selection of selectionsHere) {
            const message = { jsonrpc: '2.0', id, method: 'tools/list', ...(params ? { params } : {}) };
            const headers = { ...JSON_HEADERS, 'mcp-protocol-version': '2025-11-25', ...selection };
            const ours = await invoke(handler, { headers, body: JSON.stringify(message) });
            const sdk = await transportAnswer(runtime, message, headers);
            expect(ours.status).toBe(200);
            expect({ status: ours.status, headers: ours.headers, text: ours.text }).toEqual(sdk);
            compared++;
          }
        }
      }
      expect(compared).toBe(IDS.length * PARAMS.length * 4);
    });
  }

  it('lists what the selection offers, parsed by a client as the SDK would have sent it', async () => {
    const runtime = createRuntime({ LOG_LEVEL: 'silent', OAUTH: 'off' });
    const answer = await invoke(createHandler(runtime), { headers: { ...JSON_HEADERS, [TOOLS_HEADER]: 'tts' }, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/list' }) });
    expect(answer.json).toEqual({ jsonrpc: '2.0', id: 3, result: runtime.catalog.view('tts').list() });
    expect(answer.json.result.tools.map((tool: { name: string }) => tool.name)).toContain('text_to_speech');
    expect(answer.json.result.tools.map((tool: { name: string }) => tool.name)).not.toContain('search_voices');
  });

  it('leaves batches, notifications and refused requests to the transport and the route', async () => {
    const handler = createHandler(createRuntime({ LOG_LEVEL: 'silent', OAUTH: 'off' }));
    const batch = await invoke(handler, { headers: { ...JSON_HEADERS, 'mcp-protocol-version': '2025-03-26' }, body: JSON.stringify([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, { jsonrpc: '2.0', id: 2, method: 'ping' }]) });
    expect(batch.status).toBe(200);
    expect(batch.json.map((answer: { id: number }) => answer.id).sort()).toEqual([1, 2]);
    expect(batch.json.find((answer: { id: number }) => answer.id === 1).result.tools.length).toBeGreaterThan(20);

    const notification = await invoke(handler, { headers: JSON_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', method: 'tools/list' }) });
    expect(notification.status).toBe(202);
    expect(notification.text).toBe('');

    const badParams = await invoke(handler, { headers: JSON_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: { cursor: 5 } }) });
    expect(badParams.json.error.code).toBe(-32602);

    const badVersion = await invoke(handler, { headers: { ...JSON_HEADERS, 'mcp-protocol-version': '1999-01-01' }, body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/list' }) });
    expect(badVersion.status).toBe(400);

    const badSelection = await invoke(handler, { headers: { ...JSON_HEADERS, [TOOLS_HEADER]: 'nope' }, body: JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/list' }) });
    expect(badSelection.status).toBe(400);
    expect(badSelection.json.error.message).toMatch(/Unknown tool or group "nope"/);
  });
});
