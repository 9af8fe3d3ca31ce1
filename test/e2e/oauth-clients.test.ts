import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, signInWithBrowser } from '../support/browser.js';
import { FakeElevenLabs } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { KEY_A, KEY_B } from '../support/harness.js';
import { node24 } from '../support/node-binaries.js';
import { buildForTest, startServerProcess, type Built, type StartedServer } from '../support/npm-start.js';

/**
 * From a bare URL to a generated audio link with nothing but the key typed into the sign-in page, as
 * Claude's and ChatGPT's connectors do it: real OAuth clients against the server `npm start` runs (the
 * built bundle, OAUTH on by default), headless Chromium typing the key. The v2 SDK client's own OAuth
 * code (discovery, registration, PKCE, iss check), mcp-remote with no --header (its browser is a script
 * that hands the URL to Chromium), and the conformance suite's authorization-server scenarios.
 */

const ROOT = resolve(import.meta.dirname, '../..');
let fake: FakeElevenLabs;
let built: Built;
let server: StartedServer;
let browser: Browser;

beforeAll(async () => {
  fake = new FakeElevenLabs();
  const baseUrl = await fake.start();
  fake.addKey(KEY_A);
  fake.addKey(KEY_B);
  built = await buildForTest('oauth-clients');
  server = await startServerProcess(built, { ELEVENLABS_BASE_URL: baseUrl, LOG_LEVEL: 'debug' });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.stop();
  await built?.remove();
});

/** A loopback callback endpoint for a client: resolves with the first URL it is sent to. */
async function callbackServer(): Promise<{ url: string; received: Promise<URL>; close(): Promise<void> }> {
  let deliver!: (url: URL) => void;
  const received = new Promise<URL>((r) => (deliver = r));
  const http: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Signed in. You can close this window.');
    deliver(new URL(req.url ?? '/', `http://${req.headers.host}`));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/callback`,
    received,
    close: () => new Promise<void>((r) => http.close(() => r())),
  };
}

async function expectDownloadMatches(url: string, key: string): Promise<void> {
  const produced = fake.account(key)!.audio.at(-1)!;
  const download = await fetch(url);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(produced)).toBe(true);
}

class BrowserProvider implements OAuthClientProvider {
  private info: OAuthClientInformationMixed | undefined;
  private stored: OAuthTokens | undefined;
  private verifier = '';
  private discovery: unknown;
  lastState = '';
  authorizationUrl: URL | undefined;
  registrations = 0;

  constructor(readonly redirectUrl: string) {}

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'SDK v2 e2e client',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    };
  }
  state(): string {
    this.lastState = crypto.randomUUID();
    return this.lastState;
  }
  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.info;
  }
  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.registrations += 1;
    this.info = info;
  }
  tokens(): OAuthTokens | undefined {
    return this.stored;
  }
  saveTokens(tokens: OAuthTokens): void {
    this.stored = tokens;
  }
  saveDiscoveryState(state: unknown): void {
    this.discovery = state;
  }
  discoveryState(): never {
    return this.discovery as never;
  }
  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }
  codeVerifier(): string {
    return this.verifier;
  }
}

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

      const signedIn = await signInWithBrowser(browser, authorizationUrl.href, KEY_A, callback.url);
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
      await expectDownloadMatches((result.structuredContent as { url: string }).url, KEY_A);
      await client.close();
    } finally {
      await callback.close();
    }
  }, 90_000);

  it('mcp-remote with no --header opens the sign-in page, then calls text_to_speech', async () => {
    const home = await mkdtemp(join(tmpdir(), 'mcp-remote-oauth-'));
    // mcp-remote opens URLs with the `open` package, whose xdg-open runs $BROWSER: a script that writes the URL down.
    const opened = join(home, 'opened-url');
    const fakeBrowser = join(home, 'browser.sh');
    await writeFile(fakeBrowser, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
    await chmod(fakeBrowser, 0o755);
    const child = spawn(
      process.execPath,
      [join(ROOT, 'node_modules/mcp-remote/dist/proxy.js'), `${server.url}/mcp`, '--transport', 'http-only'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: home,
          MCP_REMOTE_CONFIG_DIR: join(home, 'config'),
          BROWSER: fakeBrowser,
          DISPLAY: '',
          XDG_CURRENT_DESKTOP: '',
        },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout });
    const pending = new Map<number, (message: any) => void>();
    lines.on('line', (line) => {
      const message = JSON.parse(line);
      pending.get(message.id)?.(message);
    });
    const request = (id: number, method: string, params: Record<string, unknown> = {}): Promise<any> =>
      new Promise((resolveMessage) => {
        pending.set(id, resolveMessage);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });
    try {
      const initialized = request(1, 'initialize', {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'e2e-mcp-remote-oauth', version: '1.0.0' },
      });
      // The browser script is called once the 401 has led mcp-remote through discovery and registration.
      const authorizationUrl = await waitForFile(opened, 45_000, () => stderr);
      const callbackPrefix = new URL(authorizationUrl).searchParams.get('redirect_uri')!;
      expect(callbackPrefix).toMatch(/^http:\/\/(localhost|127\.0\.0\.1):\d+\//);
      await signInWithBrowser(browser, authorizationUrl, KEY_B, callbackPrefix);
      const init = await initialized;
      expect(init.result?.serverInfo?.name, stderr).toBe('elevenlabs-mcp-lambda');
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const spoken = await request(2, 'tools/call', {
        name: 'text_to_speech',
        arguments: { text: 'Hello through mcp-remote and OAuth.' },
      });
      expect(spoken.result?.isError, JSON.stringify(spoken)).toBeFalsy();
      await expectDownloadMatches(spoken.result.structuredContent.url, KEY_B);
    } finally {
      child.kill();
      await rm(home, { recursive: true, force: true });
    }
  }, 120_000);

  it("passes the conformance suite's authorization-server scenarios (metadata, authorization-code grant)", async () => {
    const port = await freePort();
    const redirect = `http://127.0.0.1:${port}/callback`;
    const registered = await (
      await fetch(`${server.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'Conformance',
          redirect_uris: [redirect],
          token_endpoint_auth_method: 'none',
        }),
      })
    ).json();
    const out = await mkdtemp(join(tmpdir(), 'conformance-as-'));
    const child = spawn(
      node24(),
      [
        join(ROOT, 'node_modules/@modelcontextprotocol/conformance/dist/index.js'),
        'authorization',
        '--url',
        server.url,
        '--client-id',
        registered.client_id,
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
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
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
      await signInWithBrowser(browser, authorizationUrl, KEY_A, redirect);
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

describe.skipIf(!hasChromium)('the sign-in page in a real browser', () => {
  it('refuses to be framed by another page (clickjacking)', async () => {
    const registered = await (
      await fetch(`${server.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_name: 'Framed',
          redirect_uris: ['https://framed.example/cb'],
          token_endpoint_auth_method: 'none',
        }),
      })
    ).json();
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: registered.client_id,
      redirect_uri: 'https://framed.example/cb',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    const signInUrl = `${server.url}/oauth/authorize?${query}`;
    // The attacker's page, on another origin (localhost vs 127.0.0.1).
    // It frames the sign-in page and, as the control, a page of its own with a password field.
    const attacker = createServer((req, res) =>
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          req.url === '/inner'
            ? '<!doctype html><input type="password">'
            : `<!doctype html><iframe name="own" src="/inner"></iframe><iframe name="target" ` +
                `src="${signInUrl.replace(/&/g, '&amp;')}"></iframe>`,
        ),
    );
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    const page = await browser.newPage();
    try {
      const direct = await page.goto(signInUrl);
      expect(direct?.status()).toBe(200);
      expect(await page.locator('input[type=password]').count()).toBe(1);
      // The load event waits for both frames, the refused one included.
      await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`, { waitUntil: 'load' });
      // Frames found through their elements: a refused frame shows Chromium's error page, whose frame
      // Playwright may not list under the iframe's name.
      const own = (await (await page.$('iframe[name=own]'))!.contentFrame())!;
      const target = (await (await page.$('iframe[name=target]'))!.contentFrame())!;
      expect(await own.locator('input[type=password]').count()).toBe(1);
      expect(await target.locator('input[type=password]').count()).toBe(0);
    } finally {
      await page.close();
      await new Promise<void>((r) => attacker.close(() => r()));
    }
  });
});

describe.skipIf(!hasChromium)("the server's logs after those sign-ins, at debug level", () => {
  it('hold no key, no token, code or client id of ours, and not the sealing secret', async () => {
    const output = server.output();
    const logLines = output.split('\n').filter((line) => line.startsWith('{"level":'));
    expect(
      logLines.filter((line) => line.includes('"message":"oauth authorization granted"')).length,
    ).toBeGreaterThanOrEqual(3);
    expect(logLines.some((line) => line.startsWith('{"level":"DEBUG"'))).toBe(true);
    const { secret } = JSON.parse(await readFile(join(built.dir, 'oauth-secret.json'), 'utf8')) as { secret: string };
    expect(secret.length).toBeGreaterThanOrEqual(32);
    for (const value of [KEY_A, KEY_B, secret]) expect(output.includes(value)).toBe(false);
    expect(output).not.toMatch(/elmcp_(at|rt|code|rq|ci)_/);
  });
});

async function waitForFile(path: string, timeoutMs: number, context: () => string): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const text = (await readFile(path, 'utf8')).trim();
      if (text) return text;
    } catch {
      // not yet written
    }
    if (Date.now() > deadline) throw new Error(`the browser was never asked to open a URL:\n${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}
