import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadUrl, type E2eServer, startE2eServer } from '../support/e2e-server.js';
import { KEY_A, KEY_B } from '../support/harness.js';
import { startMcpRemote } from '../support/mcp-remote.js';

/**
 * Clients with no MCP SDK of their own against the server `npm start` runs (the built Lambda bundle behind
 * the local Function URL emulation, with its embedded S3), talking to a fake ElevenLabs API: mcp-remote over
 * stdio (the Claude Desktop path) and plain fetch as curl sends it. Each completes text_to_speech, and the
 * presigned URL serves byte for byte what the upstream produced. The SDK clients: clients-sdk.test.ts.
 */

let server: E2eServer;

beforeAll(async () => {
  server = await startE2eServer('clients');
}, 120_000);

afterAll(() => server?.stop());

describe('npm start', () => {
  it('prints the endpoint and serves /health with its embedded S3 configured', async () => {
    expect(server.output()).toContain('embedded S3 (s3rver)');
    expect(server.output()).toContain('curl -s');
    const health = await (await fetch(`${server.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', storage: 'configured' });
  });
});

describe('mcp-remote over stdio (the Claude Desktop path)', () => {
  it('connects with --header x-elevenlabs-api-key:KEY: initialize -> tools/list -> text_to_speech', async () => {
    const remote = await startMcpRemote(`${server.url}/mcp`, { args: ['--header', `x-elevenlabs-api-key:${KEY_A}`] });
    try {
      const init = await remote.request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'claude-desktop-e2e', version: '1.0.0' },
      });
      expect(init.result.serverInfo.name).toBe('elevenlabs-mcp-lambda');
      remote.notify('notifications/initialized');
      const list = await remote.request('tools/list');
      expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('text_to_speech');
      const call = await remote.request('tools/call', {
        name: 'text_to_speech',
        arguments: { text: 'Hello through mcp-remote.' },
      });
      expect(call.result.isError).toBeFalsy();
      await server.expectDownloadMatches(downloadUrl(call.result), KEY_A);
      // Nothing pushed it towards OAuth: no 401 ever, so no authorization flow started.
      expect(remote.stderr()).not.toMatch(/authorization url|oauth callback|401/i);
    } finally {
      await remote.close();
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
    await server.expectDownloadMatches(downloadUrl(call.json.result), KEY_A);
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
