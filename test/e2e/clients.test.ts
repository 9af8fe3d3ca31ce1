import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client1_12 } from 'mcp-sdk-1-12/client/index.js';
import { StreamableHTTPClientTransport as Transport1_12 } from 'mcp-sdk-1-12/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { KEY_A, KEY_B } from '../support/harness.js';
import { buildForTest, startServerProcess, type Built, type StartedServer } from '../support/npm-start.js';

/**
 * Real MCP clients against the server `npm start` runs (the built Lambda bundle behind the local Function
 * URL emulation, with its embedded S3), talking to a fake ElevenLabs API: the v2 SDK client pinned to
 * 2026-07-28 and in `auto` mode, the v1 SDK clients 1.32 and 1.12.3, mcp-remote over stdio (the Claude
 * Desktop path) and plain fetch as curl sends it. Each lists tools and completes text_to_speech, and the
 * presigned URL serves byte for byte what the upstream produced.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let fake: FakeElevenLabs;
let built: Built;
let server: StartedServer;

beforeAll(async () => {
  fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(KEY_A);
  fake.addKey(KEY_B);
  built = await buildForTest('clients');
  server = await startServerProcess(built, { ELEVENLABS_BASE_URL: baseUrl, LOG_LEVEL: 'debug' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  await built?.remove();
});

async function expectDownloadMatches(url: string, key: string): Promise<void> {
  const produced = fake.account(key)!.audio.at(-1)!;
  const download = await fetch(url);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(produced)).toBe(true);
}

describe('npm start', () => {
  it('prints the endpoint and serves /health with its embedded S3 configured', async () => {
    expect(server.output()).toContain('embedded S3 (s3rver)');
    expect(server.output()).toContain('curl -s');
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', storage: 'configured' });
  });
});

/** The download link of a text_to_speech result: structuredContent where the version has it, else the text. */
function downloadUrl(answer: unknown): string {
  const result = answer as { structuredContent?: unknown; content?: unknown };
  const structured = result.structuredContent as { url?: string } | undefined;
  if (structured?.url) return structured.url;
  const text = (result.content as Array<{ type: string; text?: string }>).find((block) => block.type === 'text')!.text!;
  return /Download: (\S+)/.exec(text)![1]!;
}

describe('the v2 SDK client (@modelcontextprotocol/client 2.4)', () => {
  type Negotiation = NonNullable<ConstructorParameters<typeof ClientV2>[1]>['versionNegotiation'];
  const connect = async (versionNegotiation: Negotiation) => {
    const client = new ClientV2({ name: 'e2e-v2', version: '1.0.0' }, versionNegotiation ? { versionNegotiation } : {});
    await client.connect(
      new TransportV2(new URL(`${server.url}/mcp`), { requestInit: { headers: { 'x-elevenlabs-api-key': KEY_A } } }),
    );
    return client;
  };

  it('pinned to 2026-07-28: discovers the server, lists tools in a fixed order and generates speech', async () => {
    const client = await connect({ mode: { pin: '2026-07-28' } });
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getServerVersion()?.name).toBe('elevenlabs-mcp-lambda');
      const first = (await client.listTools()).tools.map((t) => t.name);
      const second = (await client.listTools()).tools.map((t) => t.name);
      expect(first).toContain('text_to_speech');
      expect(second).toEqual(first);
      const result = await client.callTool({ name: 'text_to_speech', arguments: { text: 'Hello over 2026-07-28.' } });
      expect(result.isError).toBeFalsy();
      expect((result.content as Array<{ type: string }>).map((block) => block.type)).toEqual(['text', 'resource_link']);
      await expectDownloadMatches(downloadUrl(result), KEY_A);
    } finally {
      await client.close();
    }
  });

  it('in auto mode negotiates the modern era and generates speech', async () => {
    const client = await connect({ mode: 'auto' });
    try {
      expect(client.getProtocolEra()).toBe('modern');
      const result = await client.callTool({ name: 'text_to_speech', arguments: { text: 'Hello in auto mode.' } });
      expect(result.isError).toBeFalsy();
      await expectDownloadMatches(downloadUrl(result), KEY_A);
    } finally {
      await client.close();
    }
  });

  it('in its default legacy mode initializes with 2025-11-25 and generates speech', async () => {
    const client = await connect(undefined);
    try {
      expect(client.getProtocolEra()).toBe('legacy');
      const result = await client.callTool({ name: 'text_to_speech', arguments: { text: 'Hello in legacy mode.' } });
      expect(result.isError).toBeFalsy();
      await expectDownloadMatches(downloadUrl(result), KEY_A);
    } finally {
      await client.close();
    }
  });
});

describe('the v1 SDK client 1.12.3 (protocol 2025-03-26)', () => {
  it('initializes with 2025-03-26; results its schemas accept: the link in the text, no resource_link', async () => {
    const client = new Client1_12({ name: 'e2e-sdk-1.12', version: '1.0.0' });
    await client.connect(
      new Transport1_12(new URL(`${server.url}/mcp`), {
        requestInit: { headers: { 'x-elevenlabs-api-key': KEY_A } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      const tts = tools.find((t) => t.name === 'text_to_speech')!;
      expect(tts.annotations).toBeDefined();
      expect(tts).not.toHaveProperty('outputSchema');
      expect(tts).not.toHaveProperty('title');
      const result = await client.callTool({
        name: 'text_to_speech',
        arguments: { text: 'Hello from an old client.' },
      });
      expect(result.isError).toBeFalsy();
      expect((result.content as Array<{ type: string }>).map((block) => block.type)).toEqual(['text']);
      expect(result).not.toHaveProperty('structuredContent');
      await expectDownloadMatches(downloadUrl(result), KEY_A);
    } finally {
      await client.close();
    }
  });
});

describe('the v1 SDK client 1.32 (StreamableHTTPClientTransport)', () => {
  it('initializes, lists tools and generates speech with the key in x-elevenlabs-api-key', async () => {
    const client = new Client({ name: 'e2e-sdk', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { 'x-elevenlabs-api-key': KEY_A } },
    });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('elevenlabs-mcp-lambda');
      expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: false });
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('text_to_speech');
      // The client validates structuredContent against the tool's declared output schema.
      const result = await client.callTool({
        name: 'text_to_speech',
        arguments: { text: 'Hello from the SDK client.' },
      });
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as { url: string; audio_id: string };
      await expectDownloadMatches(structured.url, KEY_A);
      expect(await client.ping()).toEqual({});
    } finally {
      await client.close();
    }
  });

  it('works with Authorization: Bearer, as hosted clients send the key', async () => {
    const client = new Client({ name: 'e2e-bearer', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${KEY_B}` } },
    });
    await client.connect(transport);
    try {
      const result = await client.callTool({
        name: 'text_to_speech',
        arguments: { text: 'Hello with a bearer token.' },
      });
      expect(result.isError).toBeFalsy();
      await expectDownloadMatches((result.structuredContent as { url: string }).url, KEY_B);
    } finally {
      await client.close();
    }
  });
});

describe('mcp-remote over stdio (the Claude Desktop path)', () => {
  it('connects with --header x-elevenlabs-api-key:KEY: initialize -> tools/list -> text_to_speech', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-remote-'));
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/mcp-remote/dist/proxy.js'),
        `${server.url}/mcp`,
        '--header',
        `x-elevenlabs-api-key:${KEY_A}`,
        '--transport',
        'http-only',
      ],
      {
        env: { PATH: process.env.PATH ?? '', HOME: home, MCP_REMOTE_CONFIG_DIR: join(home, 'config') },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const responses = new Map<number, any>();
    const waiters = new Map<number, (message: any) => void>();
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: any;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (typeof message.id === 'number') {
        responses.set(message.id, message);
        waiters.get(message.id)?.(message);
      }
    });
    const request = (id: number, method: string, params?: object): Promise<any> =>
      new Promise((resolvePromise, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no answer to ${method}; mcp-remote said:\n${stderr}`)),
          25_000,
        );
        waiters.set(id, (message) => {
          clearTimeout(timer);
          resolvePromise(message);
        });
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) })}\n`);
      });

    try {
      const init = await request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'claude-desktop-e2e', version: '1.0.0' },
      });
      expect(init.result.serverInfo.name).toBe('elevenlabs-mcp-lambda');
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const list = await request(2, 'tools/list');
      expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('text_to_speech');
      const call = await request(3, 'tools/call', {
        name: 'text_to_speech',
        arguments: { text: 'Hello through mcp-remote.' },
      });
      expect(call.result.isError).toBeFalsy();
      await expectDownloadMatches(downloadUrl(call.result), KEY_A);
      // Nothing pushed it towards OAuth: no 401 ever, so no authorization flow started.
      expect(stderr).not.toMatch(/authorization url|oauth callback|401/i);
    } finally {
      child.kill();
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe('plain fetch, as curl sends it', () => {
  it('needs only Content-Type: application/json and the key header', async () => {
    const post = async (body: object, headers: Record<string, string> = { 'x-elevenlabs-api-key': KEY_A }) => {
      const response = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, json: (await response.json()) as any };
    };
    // With OAuth on (the default), a request with no credential gets the 401 that names the header.
    const keyless = await post({ jsonrpc: '2.0', id: 0, method: 'tools/list' }, {});
    expect(keyless.status).toBe(401);
    expect(keyless.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${server.url}/.well-known/oauth-protected-resource/mcp"`,
    );
    expect(keyless.json.error.message).toContain('x-elevenlabs-api-key');
    const init = await post({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'curl', version: '8' } },
    });
    expect(init.status).toBe(200);
    expect(init.json.result.protocolVersion).toBe('2025-03-26');
    const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(list.json.result.tools.length).toBeGreaterThan(5);
    const call = await post(
      {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'text_to_speech', arguments: { text: 'Hello from curl.' } },
      },
      { 'x-elevenlabs-api-key': KEY_A },
    );
    expect(call.json.result.isError).toBeFalsy();
    // No MCP-Protocol-Version header: 2025-03-26, which has neither structuredContent nor resource_link.
    expect(call.json.result.structuredContent).toBeUndefined();
    await expectDownloadMatches(downloadUrl(call.json.result), KEY_A);
  });

  it('answers GET /mcp with 405 at once instead of an endless stream', async () => {
    const response = await fetch(`${server.url}/mcp`, {
      headers: { accept: 'text/event-stream', 'x-elevenlabs-api-key': KEY_A },
      signal: AbortSignal.timeout(5_000),
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe("the server's own output", () => {
  it("never contains a caller's key, even at debug level", () => {
    expect(server.output()).not.toContain(KEY_A);
    expect(server.output()).not.toContain(KEY_B);
    expect(server.output()).toContain('"message":"request"');
  });
});
