import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { CASES, EVERY_TOOL_KEY as KEY, startEveryToolFake, type State } from '../support/every-tool-cases.js';
import { buildForTest, startServerProcess, type Built, type StartedServer } from '../support/npm-start.js';

/**
 * Every tool tools/list offers, called once through the server `npm start` runs: the built Lambda bundle
 * (dist/handler.mjs and its lazily loaded chunks, with the build-time transforms of the ElevenLabs SDK,
 * Ajv and zod) behind the local Function URL emulation and its embedded S3, against the fake ElevenLabs.
 * The integration suites run the TypeScript sources; only this one proves each tool's chunk loads and
 * works as deployed. Audio results are downloaded through their presigned URL and compared, byte for
 * byte, with what the fake produced. The cases (one per tool) are in test/support/every-tool-cases.ts.
 */

type Result = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: any };

let fake: FakeElevenLabs;
let built: Built;
let server: StartedServer;
const listed: string[] = [];
/** Each listed tool's output schema, which structuredContent must match (as MCP clients check it). */
const outputSchemas = new Map<string, object>();
const ajv = new AjvJsonSchemaValidator();
const called = new Set<string>();
const state: State = {};
let nextId = 1;

beforeAll(async () => {
  const started = await startEveryToolFake();
  fake = started.fake;
  built = await buildForTest('every-tool');
  server = await startServerProcess(built, { ELEVENLABS_BASE_URL: started.baseUrl });
  const list = await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/list' });
  for (const tool of list.result.tools as Array<{ name: string; outputSchema: object }>) {
    listed.push(tool.name);
    outputSchemas.set(tool.name, tool.outputSchema);
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  await built?.remove();
});

async function post(body: object): Promise<any> {
  const response = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'mcp-protocol-version': '2025-11-25', 'x-elevenlabs-api-key': KEY },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function callTool(name: string, args: Record<string, unknown>): Promise<Result> {
  const answer = await post({ jsonrpc: '2.0', id: nextId++, method: 'tools/call', params: { name, arguments: args } });
  expect(answer.error, `${name} answered a JSON-RPC error`).toBeUndefined();
  return answer.result;
}

/** The stored audio a result links to: its own url, or one per voice preview. */
function storedUrls(s: any): string[] {
  if (typeof s.url === 'string') return [s.url];
  return Array.isArray(s.previews) ? s.previews.map((p: { url: string }) => p.url) : [];
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

describe('every tool, through the built bundle', () => {
  it('has a case for every tool tools/list offers, in its order', () => {
    expect(listed.length).toBeGreaterThan(0);
    const missing = listed.filter((name) => !CASES.some((c) => c.tool === name));
    expect(
      missing,
      `tools/list offers tools without a case in test/support/every-tool-cases.ts: add a case for ` +
        `${missing.join(', ')}`,
    ).toEqual([]);
    expect(CASES.map((c) => c.tool)).toEqual(listed);
  });

  for (const c of CASES) {
    it(c.tool, async () => {
      const account = fake.account(KEY)!;
      const before = account.audio.length;
      called.add(c.tool);
      const result = await callTool(c.tool, c.args(state));
      const text = result.content.map((block) => block.text ?? '').join('\n');
      expect(result.isError, `${c.tool} failed: ${text}`).toBeFalsy();
      expect(result.structuredContent, c.tool).toBeDefined();
      expect(
        ajv.getValidator(outputSchemas.get(c.tool)!)(result.structuredContent).errorMessage,
        c.tool,
      ).toBeUndefined();

      const produced = account.audio.slice(before);
      const urls = storedUrls(result.structuredContent);
      if (produced.length > 0) expect(urls).toHaveLength(produced.length);
      for (const [index, url] of urls.entries()) {
        const bytes = await download(url);
        const expected = produced[index] ?? c.serves?.(state);
        expect(expected, `${c.tool}: nothing to compare ${url} with`).toBeDefined();
        expect(bytes.equals(expected!), `${c.tool}: the stored audio differs from what ElevenLabs produced`).toBe(true);
      }
      await c.check?.(result.structuredContent, state, produced);
    });
  }

  it('called exactly the tools tools/list offers', () => {
    const unlisted = [...called].filter((name) => !listed.includes(name));
    const uncalled = listed.filter((name) => !called.has(name));
    expect(uncalled, `tools never called: add a case for each to test/support/every-tool-cases.ts`).toEqual([]);
    expect(unlisted, 'cases for tools tools/list does not offer').toEqual([]);
  });

  it('logged no unexpected tool failure, and never the key', () => {
    expect(server.output()).toContain('"message":"request"');
    expect(
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('tool failed unexpectedly')),
    ).toEqual([]);
    expect(server.output()).not.toContain(KEY);
  });
});
