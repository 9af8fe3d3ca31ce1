import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Frame, Page } from 'playwright-core';
import type { UiResourceContents, UiResourceCsp } from '../../src/ui/resources.js';
import type { HostOptions } from './player-host/host.js';

/**
 * The CSP a host puts on a view, built from the resource's `_meta.ui.csp` as MCP Apps 2026-01-26 says
 * (restrictive defaults; declared resource domains for scripts, styles, images, fonts and media;
 * declared connect domains for fetch; no frames, no plugins).
 */
export function hostCsp(csp: UiResourceCsp | undefined): string {
  const resources = (csp?.resourceDomains ?? []).join(' ');
  const connect = csp?.connectDomains?.length ? csp.connectDomains.join(' ') : "'none'";
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${resources}`,
    `style-src 'self' 'unsafe-inline' ${resources}`,
    `img-src 'self' data: ${resources}`,
    `font-src 'self' ${resources}`,
    `media-src 'self' data: ${resources}`,
    `connect-src ${connect}`,
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
  ]
    .map((directive) => directive.trim())
    .join('; ');
}

export interface PlayerHost {
  /** The host page's origin. */
  readonly hostOrigin: string;
  /** The view's origin: another port, so another origin, as MCP Apps requires of a sandbox. */
  readonly viewOrigin: string;
  /**
   * Serves `resource` as the view (under the CSP built from its `_meta.ui.csp`, or `csp` if given) and
   * returns its URL.
   */
  serve(resource: UiResourceContents, csp?: UiResourceCsp): string;
  close(): Promise<void>;
}

/** Two loopback servers: the host page (with the AppBridge bundle) and the view's origin. */
export async function startPlayerHost(): Promise<PlayerHost> {
  const bundle = await esbuild.build({
    entryPoints: [join(import.meta.dirname, 'player-host', 'host.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const script = bundle.outputFiles[0]!.text;
  const hostPage = `<!doctype html><html><head><meta charset="utf-8"><title>Test host</title><style>
    body { margin: 0; padding: 16px; font-family: system-ui, sans-serif; background: #f0f0f0; }
    [data-theme="dark"] body { background: #111; }
    iframe { border: 0; display: block; height: 80px; }
  </style></head><body><script type="module">${script}</script></body></html>`;

  const views = new Map<string, { html: string; csp: string }>();
  const host = createServer((req, res) => {
    if (req.url === '/host.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage);
    } else {
      res.writeHead(404).end();
    }
  });
  const view = createServer((req, res) => {
    const served = views.get(req.url ?? '');
    if (!served) return void res.writeHead(404).end();
    res
      .writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': served.csp,
        'cache-control': 'no-store',
      })
      .end(served.html);
  });
  const hostOrigin = await listen(host);
  const viewOrigin = await listen(view);
  let next = 0;
  return {
    hostOrigin,
    viewOrigin,
    serve(resource, csp) {
      const content = resource.contents[0]!;
      const path = `/view-${++next}.html`;
      views.set(path, { html: content.text, csp: hostCsp(csp ?? content._meta.ui.csp) });
      return `${viewOrigin}${path}`;
    },
    close: () => Promise.all([close(host), close(view)]).then(() => undefined),
  };
}

/**
 * Opens the host page, renders the view with `options`, and returns the view's frame once it shows
 * something other than its waiting message. `callTool` answers the view's tools/call.
 */
export async function renderPlayer(
  page: Page,
  host: PlayerHost,
  options: HostOptions,
  callTool: (params: { name: string; arguments?: Record<string, unknown> }) => Promise<unknown>,
): Promise<Frame> {
  await page.exposeFunction('hostCallTool', callTool);
  await page.goto(`${host.hostOrigin}/host.html`);
  await page.waitForFunction(() => typeof window.startHost === 'function');
  await page.evaluate((o) => window.startHost(o), options);
  const frame = await waitForFrame(page, options.viewUrl);
  await frame.waitForSelector('.card:not(.waiting)');
  return frame;
}

async function waitForFrame(page: Page, url: string, timeoutMs = 15_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => f.url() === url);
    if (frame) return frame;
    if (Date.now() > deadline)
      throw new Error(
        `the view ${url} never loaded; frames: ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
