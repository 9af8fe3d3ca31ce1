import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, signInWithBrowser } from '../support/browser.js';
import { KEY_A, KEY_B } from '../support/harness.js';
import { startMcpRemote } from '../support/mcp-remote.js';
import { node24 } from '../support/node-binaries.js';
import {
  BrowserProvider,
  callbackServer,
  freePort,
  registerPublicClient,
  type SignInServer,
  startSignInServer,
} from '../support/oauth-e2e.js';

/**
 * From a bare URL to a generated audio link with nothing but the key typed into the sign-in page, as
 * Claude's and ChatGPT's connectors do it: real OAuth clients against the server `npm start` runs (the
 * built bundle, OAUTH on by default), headless Chromium typing the key. The v2 SDK client's own OAuth
 * code (discovery, registration, PKCE, iss check), mcp-remote with no --header (its browser is a script
 * that hands the URL to Chromium), and the conformance suite's authorization-server scenarios; then the
 * server's logs after those three sign-ins. The sign-in page itself: oauth-sign-in-page.test.ts.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let server: SignInServer;

beforeAll(async () => {
  server = await startSignInServer('oauth-clients');
}, 120_000);

afterAll(() => server?.stop());

describe.skipIf(!hasChromium)('OAuth sign-in from a bare URL', () => {
  it('the v2 SDK client registers, signs in through the page with PKCE, and generates speech with the ' +
    'token', async () => {
    const callback = await callbackServer();
    const endpoint = new URL(`${server.url}/mcp`);
    const provider = new BrowserProvider(callback.url);
    try {
      const client = new Client({ name: 'e2e-oauth-v2', version: '1.0.0' });
      await expect(
        client.connect(new StreamableHTTPClientTransport(endpoint, { authProvider: provider })),
      ).rejects.toBeInstanceOf(UnauthorizedError);
      expect(provider.registrations).toBe(1);
      const authorizationUrl = provider.authorizationUrl!;
      expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizationUrl.searchParams.get('resource')).toBe(endpoint.href);

      const signedIn = await signInWithBrowser(server.browser, authorizationUrl.href, KEY_A, callback.url);
      expect(signedIn.console.filter((line) => /Content Security Policy|Refused/i.test(line))).toEqual([]);
      const params = new URL(signedIn.finalUrl).searchParams;
      expect(params.get('state')).toBe(provider.lastState);
      expect(params.get('iss')).toBe(server.url);

      const transport = new StreamableHTTPClientTransport(endpoint, { authProvider: provider });
      await transport.finishAuth(params);
      expect(provider.tokens()?.access_token).toMatch(/^elmcp_at_/);
      await client.connect(transport);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('text_to_speech');
      const result = await client.callTool({
        name: 'text_to_speech',
        arguments: { text: 'Hello from an OAuth client.' },
      });
      expect(result.isError).toBeFalsy();
      await server.expectDownloadMatches((result.structuredContent as { url: string }).url, KEY_A);
      await client.close();
    } finally {
      await callback.close();
    }
  }, 90_000);

  it('mcp-remote with no --header opens the sign-in page, then calls text_to_speech', async () => {
    // The initialize waits for the whole sign-in, so each answer may take most of the case's time.
    const remote = await startMcpRemote(`${server.url}/mcp`, { recordBrowser: true, answerTimeoutMs: 110_000 });
    try {
      const initialized = remote.request('initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'e2e-mcp-remote-oauth', version: '1.0.0' },
      });
      // The browser script is called once the 401 has led mcp-remote through discovery and registration.
      const authorizationUrl = await remote.openedUrl(45_000);
      const callbackPrefix = new URL(authorizationUrl).searchParams.get('redirect_uri')!;
      expect(callbackPrefix).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\//);
      await signInWithBrowser(server.browser, authorizationUrl, KEY_B, callbackPrefix);
      const init = await initialized;
      expect(init.result?.serverInfo?.name, remote.stderr()).toBe('elevenlabs-mcp-lambda');
      remote.notify('notifications/initialized');
      const spoken = await remote.request('tools/call', {
        name: 'text_to_speech',
        arguments: { text: 'Hello through mcp-remote and OAuth.' },
      });
      expect(spoken.result?.isError, JSON.stringify(spoken)).toBeFalsy();
      await server.expectDownloadMatches(spoken.result.structuredContent.url, KEY_B);
    } finally {
      await remote.close();
    }
  }, 120_000);

  it("passes the conformance suite's authorization-server scenarios (metadata, authorization-code grant)", async () => {
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/callback`;
    const clientId = await registerPublicClient(server.url, 'Conformance', [redirect]);
    const out = await mkdtemp(join(tmpdir(), 'conformance-as-'));
    const child = spawn(
      node24(),
      [
        join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
        'authorization',
        '--url',
        server.url,
        '--client-id',
        clientId,
        '--resource',
        `${server.url}/mcp`,
        '--port',
        String(port),
        '-o',
        out,
      ],
      { env: { PATH: process.env.PATH ?? '', HOME: out }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
    try {
      const authorizationUrl = await new Promise<string>((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no authorization URL printed:\n${output}`)), 60_000);
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /^(http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?\S+)$/m.exec(output);
          if (match) {
            clearTimeout(timer);
            resolveUrl(match[1]!);
          }
        });
      });
      await signInWithBrowser(server.browser, authorizationUrl, KEY_A, redirect);
      const code = await exited;
      process.stdout.write(`\n[tally] conformance authorization: ${output.slice(output.indexOf('=== SUMMARY ==='))}\n`);
      expect(output).toMatch(/✓ authorization-server-metadata-endpoint: [1-9]\d* passed, 0 failed/);
      expect(output).toMatch(/✓ authorization-code-grant: [1-9]\d* passed, 0 failed/);
      expect(code, output).toBe(0);
      expect(output).not.toMatch(/FAILURE|✗/);
    } finally {
      child.kill();
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.skipIf(!hasChromium)("the server's logs after those sign-ins, at debug level", () => {
  it('hold no key, no token, code or client id of ours, and not the sealing secret', async () => {
    const output = server.output();
    const logLines = output.split('\n').filter((line) => line.startsWith('{"level":'));
    expect(
      logLines.filter((line) => line.includes('"message":"oauth authorization granted"')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(logLines.some((line) => line.startsWith('{"level":"DEBUG"'))).toBe(true);
    const secretFile = join(server.built.dir, 'oauth-secret.json');
    const { secret } = JSON.parse(await readFile(secretFile, 'utf8')) as { secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(32);
    for (const value of [KEY_A, KEY_B, secret]) expect(output.includes(value)).toBe(false);
    expect(output).not.toMatch(/elmcp_(at|rt|code|rq|ci)_/);
  });
});
