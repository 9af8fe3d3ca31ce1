import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as Client1_12 } from 'mcp-sdk-1-12/client/index.js';
import { StreamableHTTPClientTransport as Transport1_12 } from 'mcp-sdk-1-12/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadUrl, type E2eServer, startE2eServer } from '../support/e2e-server.js';
import { KEY_A, KEY_B } from '../support/harness.js';

/**
 * The MCP SDK clients against the server `npm start` runs (the built Lambda bundle behind the local Function
 * URL emulation, with its embedded S3), talking to a fake ElevenLabs API: the v2 SDK client pinned to
 * 2026-07-28, in `auto` mode and in its default legacy mode, and the v1 SDK clients 1.32 and 1.12.3. Each
 * completes text_to_speech in the shape its protocol version expects, and the presigned URL serves byte for
 * byte what the upstream produced. mcp-remote and plain fetch: clients.test.ts.
 */

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer('clients-sdk');
}, 120_000);

afterAll(async () => {
  const output = server?.output() ?? '';
  await server?.stop();
  // What clients.test.ts checks of its own server, for the keys these clients sent (KEY_B as a bearer token).
  expect(output).not.toContain(KEY_A);
  expect(output).not.toContain(KEY_B);
});

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
      await server.expectDownloadMatches(downloadUrl(result), KEY_A);
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
      await server.expectDownloadMatches(downloadUrl(result), KEY_A);
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
      await server.expectDownloadMatches(downloadUrl(result), KEY_A);
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
      await server.expectDownloadMatches(downloadUrl(result), KEY_A);
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
      await server.expectDownloadMatches(structured.url, KEY_A);
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
      await server.expectDownloadMatches((result.structuredContent as { url: string }).url, KEY_B);
    } finally {
      await client.close();
    }
  });
});
