import { describe, expect, it } from 'vitest';
import { deadlineFrom } from '../../src/net/deadline.js';
import { createMcpEndpoint, TOOLS_HEADER } from '../../src/mcp/endpoint.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';

/**
 * The endpoint keeps the tools array of each tools/list answer the SDK gave and splices it into later
 * answers (the SDK then serializes an empty list). That is only right while the spliced answer is the
 * SDK's own, byte for byte: this compares them for every era, kind of id, params and tool selection.
 */
const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'vitest', version: '1' },
};

function request(
  version: string | undefined,
  id: unknown,
  params: Record<string, unknown> | undefined,
  selection: string | undefined,
): Request {
  const modern = version === MODERN;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
  };
  if (version) headers['mcp-protocol-version'] = version;
  if (modern) headers['mcp-method'] = 'tools/list';
  if (selection) headers[TOOLS_HEADER] = selection;
  const withMeta = modern ? { ...params, _meta: { ...(params?._meta as object), ...ENVELOPE } } : params;
  const body = JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list', ...(withMeta ? { params: withMeta } : {}) });
  return new Request('https://example.lambda-url.us-east-1.on.aws/mcp', { method: 'POST', headers, body });
}

async function answer(
  endpoint: ReturnType<typeof createMcpEndpoint>,
  req: Request,
): Promise<{ status: number; text: string; type: string | null }> {
  const response = await endpoint(req, { credential: { kind: 'missing' }, deadline: deadlineFrom(30_000), trace: {} });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

const VERSIONS = [undefined, '2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25', MODERN];
const IDS: unknown[] = [1, 0, -7, 9_007_199_254_740_991, 'a', '', 'id with "quotes" and \\ and \u00e9 and \u{1F600}'];
const PARAMS: Array<Record<string, unknown> | undefined> = [
  undefined,
  {},
  { cursor: 'next' },
  { _meta: { progressToken: 'p-1' } },
];

describe('tools/list answers spliced from the kept list', () => {
  const deployments: Array<[string, Runtime, Array<string | undefined>]> = [
    ['every tool', createRuntime({ LOG_LEVEL: 'silent' }), [undefined, 'tts', 'voices, audio', 'check_subscription']],
    [
      'ENABLED_TOOLS=tts,audio',
      createRuntime({ LOG_LEVEL: 'silent', ENABLED_TOOLS: 'tts,audio' }),
      [undefined, 'audio', 'TTS'],
    ],
  ];
  for (const [deployment, runtime, selections] of deployments) {
    it(`are the SDK's own answers byte for byte (${deployment}), for every era, id, params and selection`, async () => {
      const warm = createMcpEndpoint(runtime);
      let compared = 0;
      for (const version of VERSIONS) {
        for (const selection of selections) {
          for (const id of IDS) {
            for (const params of PARAMS) {
              // A fresh endpoint has nothing kept: its answer is the SDK's, serialized whole.
              const reference = await answer(createMcpEndpoint(runtime), request(version, id, params, selection));
              const spliced = await answer(warm, request(version, id, params, selection));
              expect(spliced, `${version} ${selection} ${String(id)} ${JSON.stringify(params)}`).toEqual(reference);
              expect(reference.status).toBe(200);
              compared++;
            }
          }
        }
      }
      expect(compared).toBe(VERSIONS.length * selections.length * IDS.length * PARAMS.length);
    });
  }

  it('passes a refusal through untouched, and still serves the full list after it', async () => {
    const runtime = createRuntime({ LOG_LEVEL: 'silent' });
    const endpoint = createMcpEndpoint(runtime);
    await answer(endpoint, request(MODERN, 1, undefined, undefined));
    const mismatch = request(MODERN, 2, undefined, undefined);
    mismatch.headers.set('mcp-method', 'tools/call');
    const refused = await answer(endpoint, mismatch);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).error.code).toBe(-32020);
    const again = JSON.parse((await answer(endpoint, request(MODERN, 3, undefined, undefined))).text);
    expect(again.result.tools).toHaveLength(runtime.catalog.size);
  });
});
