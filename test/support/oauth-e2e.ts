import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthClientProvider,
  OAuthTokens,
} from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';

/** The `npm start` server (see e2e-server.ts) with a headless Chromium to sign in through its page. */
export interface SignInServer extends E2eServer {
  readonly browser: Browser;
}

/** Starts the server and Chromium; `stop` closes both. */
export async function startSignInServer(name: string): Promise<SignInServer> {
  const server = await startE2eServer(name);
  try {
    const browser = await launchChromium();
    return {
      ...server,
      browser,
      async stop() {
        await browser.close();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Registers a public client (no secret) with the server's dynamic client registration; answers its client id. */
export async function registerPublicClient(serverUrl: string, name: string, redirectUris: string[]): Promise<string> {
  const response = await fetch(`${serverUrl}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: name, redirect_uris: redirectUris, token_endpoint_auth_method: 'none' }),
  });
  const registered = (await response.json()) as { client_id: string };
  return registered.client_id;
}

/** A loopback callback endpoint for a client: `received` resolves with the first URL it is sent to. */
export async function callbackServer(): Promise<{ url: string; received: Promise<URL>; close(): Promise<void> }> {
  let deliver!: (url: URL) => void;
  const received = new Promise<URL>((resolveUrl) => {
    deliver = resolveUrl;
  });
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

/** A port on 127.0.0.1 that was free a moment ago (for a program that insists on being told one). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

/**
 * The v2 SDK client's OAuth provider, kept in memory: it registers with a loopback redirect URI and, instead
 * of opening a browser, records the authorization URL for the test to sign in at.
 */
export class BrowserProvider implements OAuthClientProvider {
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
