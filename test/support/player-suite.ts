import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { buildPlayer } from '../../esbuild.config.mjs';
import type { FunctionUrlHandler } from '../../src/handler.js';
import { PLAYER_URI, type UiResourceContents, type UiResourceCsp } from '../../src/ui/resources.js';
import { call, callTool, KEY_A, startStack, type Stack } from './harness.js';
import { launchChromium } from './browser.js';
import { renderPlayer, startPlayerHost, type PlayerHost } from './player-host.js';
import type { HostOptions } from './player-host/host.js';

/**
 * The shared setup of the MCP Apps player suites (test/e2e/player-*.test.ts): the real handler (fake
 * ElevenLabs, embedded S3), the test host page on the ext-apps AppBridge, headless Chromium, the player
 * resource as a host reads it, and real results made before any browser work. Set PLAYER_SCREENSHOTS=<dir>
 * to keep pictures of what the suites render.
 */

const SCREENSHOTS = process.env.PLAYER_SCREENSHOTS;

/** The text the timed text_to_speech result speaks. */
export const TEXT = 'Hello from the player test. The quick brown fox jumps over the lazy dog.';
export const DIALOGUE = [
  { text: '[cheerfully] Knock knock.', voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
  { text: '[curious] Who is there?', voice_id: 'EXAVITQu4vr4xnSDxMaL' },
];
export const VOICE_INPUTS = {
  warm: { voice_description: 'A warm, calm narrator with a slight Scottish accent, unhurried.' },
  bright: { voice_description: 'A bright, fast-talking radio host from New York.' },
};

/** Tool results by name, as a suite's `makeResults` returns them. */
export type Results = Record<string, any>;

/** What a player suite reads: set up before its tests; `page` is the one the last `show` opened. */
export interface PlayerSuite {
  readonly stack: Stack;
  readonly host: PlayerHost;
  readonly resource: UiResourceContents;
  readonly page: Page;
  readonly results: Results;
  /**
   * Opens a fresh page and renders the player in the host with this tool, input and result (`extra` adds host
   * options, or a CSP other than the resource's); returns the view's frame.
   */
  show(
    toolName: string,
    title: string,
    input: Record<string, unknown>,
    result: unknown,
    extra?: Partial<HostOptions> & { csp?: UiResourceCsp },
  ): Promise<Frame>;
  /** The console messages of the current page that report a Content Security Policy violation. */
  cspViolations(): string[];
  /** Keeps a picture of the view as `<name>.png` when PLAYER_SCREENSHOTS names a folder. */
  screenshot(name: string): Promise<void>;
}

/**
 * Starts everything before the file's tests and stops it after them, closing each test's page. Call it once, at
 * the top of a test file. `makeResults` calls the real handler before any browser work; its results must all
 * succeed.
 */
export function usePlayerSuite(makeResults: (handler: FunctionUrlHandler) => Promise<Results>): PlayerSuite {
  let stack: Stack;
  let host: PlayerHost;
  let browser: Browser;
  let resource: UiResourceContents;
  let page: Page;
  let results: Results = {};
  let messages: string[] = [];

  beforeAll(async () => {
    [, stack, host, browser] = await Promise.all([buildPlayer(), startStack(), startPlayerHost(), launchChromium()]);
    // As a host reads it: resources/read through the real handler.
    resource = (await call(stack.handler, 'resources/read', { uri: PLAYER_URI })).body.result as UiResourceContents;
    results = await makeResults(stack.handler);
    for (const [name, result] of Object.entries(results))
      expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
    if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.allSettled([host?.close(), stack?.stop()]);
  });
  afterEach(() => page?.close());

  /** The real server's answer to a tools/call the view sent through the host. */
  const serverTool = (params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown> =>
    callTool(stack.handler, params.name, params.arguments ?? {}, KEY_A);

  return {
    get stack() {
      return stack;
    },
    get host() {
      return host;
    },
    get resource() {
      return resource;
    },
    get page() {
      return page;
    },
    get results() {
      return results;
    },
    async show(toolName, title, input, result, extra = {}) {
      const { csp, ...rest } = extra;
      // A fresh page that records every console message (CSP violations are reported there).
      page = await browser.newPage({ viewport: { width: 640, height: 720 } });
      messages = [];
      page.on('console', (message: ConsoleMessage) => messages.push(`${message.type()}: ${message.text()}`));
      const options: HostOptions = {
        viewUrl: host.serve(resource, csp),
        toolInput: input,
        toolResult: result as HostOptions['toolResult'],
        tool: { name: toolName, title, inputSchema: { type: 'object' } },
        theme: 'light',
        ...rest,
      };
      return renderPlayer(page, host, options, serverTool);
    },
    cspViolations: () => messages.filter((line) => /Content Security Policy/i.test(line)),
    async screenshot(name) {
      if (!SCREENSHOTS) return;
      await page.mouse.move(0, 0);
      const iframe = await page.$('iframe');
      await iframe!.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    },
  };
}

/** Waits until every audio element in the view knows its duration; returns them. */
export async function durations(frame: Frame): Promise<number[]> {
  await frame.waitForFunction(() =>
    [...document.querySelectorAll('audio')].every((audio) => Number.isFinite(audio.duration) && audio.duration > 0),
  );
  return frame.$$eval('audio', (audios) => audios.map((audio) => audio.duration));
}
