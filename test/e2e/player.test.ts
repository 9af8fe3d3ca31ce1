import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Browser, ConsoleMessage, Frame, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildPlayer } from '../../esbuild.config.mjs';
import { PLAYER_URI, type UiResourceContents, type UiResourceCsp } from '../../src/ui/resources.js';
import { spokenIndex } from '../../src/ui/player/result.js';
import { call, callTool, KEY_A, startStack, type Stack } from '../support/harness.js';
import { launchChromium, renderPlayer, startPlayerHost, type PlayerHost } from '../support/player-host.js';
import type { HostOptions } from '../support/player-host/host.js';

// The MCP Apps player in headless Chromium: a host page on the ext-apps AppBridge renders the resource
// in a sandboxed iframe on another origin, under the CSP the resource declares, and hands it real
// results of the real handler (fake ElevenLabs, s3rver). Set PLAYER_SCREENSHOTS=<dir> to keep pictures.

const SCREENSHOTS = process.env.PLAYER_SCREENSHOTS;
const TEXT = 'Hello from the player test. The quick brown fox jumps over the lazy dog.';

let stack: Stack;
let host: PlayerHost;
let browser: Browser;
let resource: UiResourceContents;
let page: Page;
let console_: string[];
/** Real results, made before any browser work (see beforeAll). */
const results: Record<string, any> = {};
const DIALOGUE = [
  { text: '[cheerfully] Knock knock.', voice_id: 'JBFqnCBsd6RMkjVDRZzb' },
  { text: '[curious] Who is there?', voice_id: 'EXAVITQu4vr4xnSDxMaL' },
];
const VOICE_INPUTS = {
  warm: { voice_description: 'A warm, calm narrator with a slight Scottish accent, unhurried.' },
  bright: { voice_description: 'A bright, fast-talking radio host from New York.' },
};

beforeAll(async () => {
  [, stack, host, browser] = await Promise.all([buildPlayer(), startStack(), startPlayerHost(), launchChromium()]);
  // As a host reads it: resources/read through the real handler.
  resource = (await call(stack.handler, 'resources/read', { uri: PLAYER_URI })).body.result as UiResourceContents;
  // text_to_voice first: its first call loads the ElevenLabs SDK, which holds the event loop for seconds
  // on a busy machine; an idle keep-alive socket to the in-process fake can then close under the next
  // request (fetch does not retry a POST).
  for (const [name, input] of Object.entries(VOICE_INPUTS))
    results[name] = await callTool(stack.handler, 'text_to_voice', input);
  results.timed = await callTool(stack.handler, 'text_to_speech', {
    text: TEXT,
    voice_name: 'George',
    with_timestamps: true,
  });
  results.plain = await callTool(stack.handler, 'text_to_speech', { text: 'An expired link gets renewed.' });
  results.blocked = await callTool(stack.handler, 'text_to_speech', { text: 'Blocked by the CSP.' });
  results.sfx = await callTool(stack.handler, 'text_to_sound_effects', {
    text: 'A door creaks open',
    duration_seconds: 2,
  });
  results.dialogue = await callTool(stack.handler, 'text_to_dialogue', { inputs: DIALOGUE });
  results.fresh = await callTool(stack.handler, 'get_audio_url', {
    audio_id: results.plain.structuredContent.audio_id,
  });
  results.library = await callTool(stack.handler, 'list_audio', { limit: 4 });
  for (const [name, result] of Object.entries(results))
    expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).toBeFalsy();
  if (SCREENSHOTS) await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await Promise.allSettled([host?.close(), stack?.stop()]);
});
afterEach(() => page?.close());

/** A fresh page that records every console message (CSP violations are reported there). */
async function openPage(): Promise<Page> {
  page = await browser.newPage({ viewport: { width: 640, height: 720 } });
  console_ = [];
  page.on('console', (message: ConsoleMessage) => console_.push(`${message.type()}: ${message.text()}`));
  return page;
}

const cspViolations = (): string[] => console_.filter((line) => /Content Security Policy/i.test(line));

/** The real server's answer to a tools/call the view sent through the host. */
const serverTool = (params: { name: string; arguments?: Record<string, unknown> }): Promise<unknown> =>
  callTool(stack.handler, params.name, params.arguments ?? {}, KEY_A);

function options(
  viewUrl: string,
  tool: string,
  title: string,
  toolInput: Record<string, unknown>,
  toolResult: unknown,
  extra: Partial<HostOptions> = {},
): HostOptions {
  return {
    viewUrl,
    toolInput,
    toolResult: toolResult as HostOptions['toolResult'],
    tool: { name: tool, title, inputSchema: { type: 'object' } },
    theme: 'light',
    ...extra,
  };
}

async function show(
  toolName: string,
  title: string,
  input: Record<string, unknown>,
  result: unknown,
  extra: Partial<HostOptions> & { csp?: UiResourceCsp } = {},
): Promise<Frame> {
  const { csp, ...rest } = extra;
  await openPage();
  return renderPlayer(page, host, options(host.serve(resource, csp), toolName, title, input, result, rest), serverTool);
}

/** Waits until every audio element in the view knows its duration; returns them. */
async function durations(frame: Frame): Promise<number[]> {
  await frame.waitForFunction(() =>
    [...document.querySelectorAll('audio')].every((audio) => Number.isFinite(audio.duration) && audio.duration > 0),
  );
  return frame.$$eval('audio', (audios) => audios.map((audio) => audio.duration));
}

async function screenshot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  await page.mouse.move(0, 0);
  const iframe = await page.$('iframe');
  await iframe!.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('the MCP Apps player renders a real result in a sandboxed iframe on another origin', () => {
  it('declares exactly the S3 origin the presigned URLs use, and nothing else', () => {
    const content = resource.contents[0]!;
    expect(content.mimeType).toBe('text/html;profile=mcp-app');
    expect(content._meta.ui.csp).toEqual({ resourceDomains: [new URL(stack.s3.endpoint).origin] });
    expect(host.viewOrigin).not.toBe(host.hostOrigin);
  });

  it(
    'plays text_to_speech: duration known, summary and download there, the text highlighted as it plays, no CSP ' +
      'violation',
    async () => {
      const result = results.timed;
      const s = result.structuredContent;
      const frame = await show('text_to_speech', 'Text to speech', { text: TEXT, with_timestamps: true }, result);

      const [seconds] = await durations(frame);
      expect(seconds).toBeGreaterThan(1);
      expect(await frame.textContent('h1')).toBe('Text to speech');
      const facts = Object.fromEntries(
        await frame.$$eval('.facts div', (rows) =>
          rows.map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]),
        ),
      );
      // Looked up by name, so the result names the voice (the fixtures' full name, whatever it is).
      expect(s.voice_name).toMatch(/^George/);
      expect(facts).toEqual({
        Voice: s.voice_name,
        Model: s.model_id,
        Format: 'MP3, 44.1 kHz, 128 kbps',
        'Characters billed': String(s.characters_billed),
        Duration: `${seconds!.toFixed(1)} s`,
      });

      // The download control links to the presigned URL, which serves the stored audio; the host does the download.
      const download = await frame.$('a.download');
      expect(await download!.getAttribute('href')).toBe(s.url);
      expect(await download!.getAttribute('aria-label')).toContain(s.filename);
      const downloaded = Buffer.from(await (await fetch(s.url)).arrayBuffer());
      expect(downloaded.equals(stack.fake.audioFor(TEXT))).toBe(true);
      await download!.click();
      await page.waitForFunction(() => window.hostLog.downloads.length === 1);
      expect(await page.evaluate(() => window.hostLog.downloads[0])).toEqual({
        contents: [{ type: 'resource_link', uri: s.url, name: s.filename, mimeType: 'audio/mpeg', size: s.bytes }],
      });

      // Played with a real click, then paused: the spoken characters are those started by then.
      const alignment = {
        characters: s.alignment.characters,
        starts: s.alignment.character_start_times_seconds,
        ends: s.alignment.character_end_times_seconds,
      };
      await frame.click('button.play');
      await frame.waitForFunction(() => document.querySelector('audio')!.currentTime > 0.3);
      await frame.click('button.play');
      await frame.waitForFunction(() => document.querySelector('audio')!.paused);
      const at = await frame.$eval('audio', (audio) => audio.currentTime);
      const spoken = await frame.$$eval('.transcript-text .spoken', (spans) => spans.length);
      expect(spoken).toBe(spokenIndex(alignment, at) + 1);
      expect(spoken).toBeGreaterThan(0);
      // The word being spoken stands out: the one holding the last character spoken.
      const wordNumber = TEXT.slice(0, spoken).trimEnd().split(/\s+/).length - 1;
      const current = await frame.$$eval('.transcript-text .current', (spans) =>
        spans.map((span) => span.textContent).join(''),
      );
      expect(current).toBe(TEXT.split(/\s+/)[wordNumber]);
      await screenshot('single-light-playing');

      // Seeking moves the highlight, both ways.
      for (const target of [2.1, 0.2]) {
        await frame.$eval('audio', (audio, time) => (audio.currentTime = time), target);
        await frame.waitForFunction(
          (count) => document.querySelectorAll('.transcript-text .spoken').length === count,
          spokenIndex(alignment, target) + 1,
        );
        if (target > 1) await screenshot('single-light');
      }
      // Keyboard: Enter and Space on the play button, arrows on the seek bar; every control has a name.
      await frame.focus('button.play');
      await page.keyboard.press('Enter');
      await frame.waitForFunction(() => !document.querySelector('audio')!.paused);
      await page.keyboard.press('Space');
      await frame.waitForFunction(() => document.querySelector('audio')!.paused);
      await frame.$eval('audio', (audio) => (audio.currentTime = 1));
      await frame.focus('input.seek');
      await page.keyboard.press('ArrowRight');
      expect(await frame.$eval('audio', (audio) => audio.currentTime)).toBeCloseTo(2, 1);
      expect(await frame.getAttribute('input.seek', 'aria-valuetext')).toBe(`0:02 of 0:0${Math.floor(seconds!)}`);
      const unnamed = await frame.$$eval('button, input, select, a', (controls) =>
        controls.filter((c) => !(c.getAttribute('aria-label') ?? c.textContent ?? '').trim()).map((c) => c.outerHTML),
      );
      expect(unnamed).toEqual([]);
      // The screen-reader copy of the text is whole.
      expect(await frame.textContent('.transcript .visually-hidden')).toBe(TEXT);
      expect(cspViolations()).toEqual([]);
    },
  );

  it('asks the server for a fresh link through the host when the link has expired, and plays it', async () => {
    const result = results.plain;
    const s = result.structuredContent;
    // A URL signed two hours ago for a minute: what a result looks like after its link expired.
    const signer = new S3Client({
      region: 'us-east-1',
      endpoint: stack.s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: stack.s3.accessKeyId, secretAccessKey: stack.s3.secretAccessKey },
    });
    const expired = await getSignedUrl(signer, new GetObjectCommand({ Bucket: stack.s3.bucket, Key: s.key }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 2 * 3600_000),
    });
    expect((await fetch(expired)).status).toBe(403);
    const stale = { ...result, structuredContent: { ...s, url: expired } };

    const frame = await show('text_to_speech', 'Text to speech', { text: 'An expired link gets renewed.' }, stale);
    await durations(frame);
    const calls = await page.evaluate(() =>
      window.hostLog.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args })),
    );
    expect(calls).toEqual([{ name: 'get_audio_url', arguments: { audio_id: s.audio_id } }]);
    const fresh = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(fresh).not.toBe(expired);
    expect(new URL(fresh).pathname).toBe(new URL(s.url).pathname);
    expect((await fetch(fresh)).status).toBe(200);
    expect(await frame.getAttribute('a.download', 'href')).toBe(fresh);
    expect(await frame.textContent('.status')).toBe('');
    expect(cspViolations()).toEqual([]);
  });

  it('renews a link the result already says has expired before loading it', async () => {
    const s = results.plain.structuredContent;
    const stale = {
      ...results.plain,
      structuredContent: { ...s, url: `${s.url}&stale=1`, expires_at: new Date(Date.now() - 60_000).toISOString() },
    };
    const frame = await show('text_to_speech', 'Text to speech', {}, stale);
    await durations(frame);
    expect(await page.evaluate(() => window.hostLog.toolCalls.map((call) => call.name))).toEqual(['get_audio_url']);
    const src = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(src).not.toContain('stale=1');
    expect(new URL(src).pathname).toBe(new URL(s.url).pathname);
    expect(cspViolations()).toEqual([]);
  });

  it('lists the previews of text_to_voice to compare, each playable with its generated_voice_id', async () => {
    const input = VOICE_INPUTS.warm;
    const result = results.warm;
    const previews = result.structuredContent.previews as Array<{ generated_voice_id: string; url: string }>;
    const frame = await show('text_to_voice', 'Design a voice', input, result);

    const seconds = await durations(frame);
    expect(seconds).toHaveLength(previews.length);
    expect(previews.length).toBeGreaterThan(1);
    const rows = await frame.$$eval('li.preview', (items) =>
      items.map((item) => ({
        title: item.querySelector('h2')!.textContent,
        id: item.querySelector('.voice-id')!.textContent,
        href: item.querySelector('a.download')!.getAttribute('href'),
      })),
    );
    expect(rows).toEqual(
      previews.map((p, i) => ({ title: `Preview ${i + 1}`, id: p.generated_voice_id, href: p.url })),
    );

    // Playing one preview pauses the other.
    const buttons = await frame.$$('li.preview button.play');
    await buttons[0]!.click();
    await frame.waitForFunction(() => !document.querySelectorAll('audio')[0]!.paused);
    await buttons[1]!.click();
    await frame.waitForFunction(
      () => document.querySelectorAll('audio')[0]!.paused && !document.querySelectorAll('audio')[1]!.paused,
    );
    // The label follows the audio element's play event, which can land after the state change is visible.
    await frame.waitForFunction(
      () => document.querySelectorAll('li.preview button.play')[1]!.getAttribute('aria-label') === 'Pause Preview 2',
    );
    expect(await buttons[1]!.getAttribute('aria-label')).toBe('Pause Preview 2');
    await screenshot('previews-light');
    expect(cspViolations()).toEqual([]);
  });

  it("summarises the other audio tools' results: sound effects and dialogue", async () => {
    const cases: Array<{ name: string; title: string; result: any; facts: string[]; heading?: string }> = [
      { name: 'text_to_sound_effects', title: 'Text to sound effects', result: results.sfx, facts: ['Format'] },
      {
        name: 'text_to_dialogue',
        title: 'Text to dialogue',
        result: results.dialogue,
        facts: ['Voices', 'Model', 'Format'],
      },
      // get_audio_url's own title says what it did; the heading names the audio by its kind.
      { name: 'get_audio_url', title: 'Get a fresh audio link', result: results.fresh, facts: [], heading: 'Speech' },
    ];
    for (const { name, title, result, facts, heading } of cases) {
      // Characters billed shows when ElevenLabs said so.
      const expected = [
        ...facts,
        ...(result.structuredContent.characters_billed == null ? [] : ['Characters billed']),
        'Duration',
      ];
      const frame = await show(name, title, {}, result);
      const [seconds] = await durations(frame);
      expect(seconds).toBeGreaterThan(0);
      expect(await frame.textContent('h1')).toBe(heading ?? title);
      expect(await frame.$$eval('.facts dt', (terms) => terms.map((term) => term.textContent))).toEqual(expected);
      expect(await frame.getAttribute('a.download', 'href')).toBe(result.structuredContent.url);
      await screenshot(name);
      expect(cspViolations()).toEqual([]);
      await page.close();
    }
  });

  it("lists list_audio's files and plays one on demand, with a link get_audio_url signs through the host", async () => {
    const items = results.library.structuredContent.items as Array<{ audio_id: string }>;
    expect(items).toHaveLength(4);
    const frame = await show('list_audio', 'List stored audio and uploads', { limit: 4 }, results.library);
    expect(await frame.$$eval('li.preview .voice-id', (ids) => ids.map((id) => id.textContent))).toEqual(
      items.map((item) => item.audio_id),
    );
    expect(await frame.$$('audio')).toHaveLength(0);
    await frame.click('li.preview:nth-child(2) button.play');
    await frame.waitForFunction(() => document.querySelector('audio') && !document.querySelector('audio')!.paused);
    expect(
      await page.evaluate(() =>
        window.hostLog.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args })),
      ),
    ).toEqual([{ name: 'get_audio_url', arguments: { audio_id: items[1]!.audio_id } }]);
    await durations(frame);
    const src = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(new URL(src).pathname.endsWith(items[1]!.audio_id)).toBe(true);
    await frame.click('li.preview:nth-child(2) button.play');
    await screenshot('list_audio');
    expect(cspViolations()).toEqual([]);
  });

  it('follows the host theme: dark colours from the host context', async () => {
    const frame = await show('text_to_speech', 'Text to speech', { text: TEXT }, results.timed, {
      theme: 'dark',
      variables: { '--color-text-primary': 'rgb(250, 250, 250)' },
    });
    await durations(frame);
    expect(await frame.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await frame.$eval('h1', (h) => getComputedStyle(h).color)).toBe('rgb(250, 250, 250)');
    const background = await frame.$eval('.card', (card) => getComputedStyle(card).backgroundColor);
    expect(luminance(background)).toBeLessThan(0.2);
    await frame.$eval('audio', (audio) => (audio.currentTime = 2));
    await frame.waitForSelector('.transcript-text .current');
    await screenshot('single-dark');

    const previews = await show('text_to_voice', 'Design a voice', VOICE_INPUTS.bright, results.bright, {
      theme: 'dark',
    });
    await durations(previews);
    await screenshot('previews-dark');
    expect(cspViolations()).toEqual([]);
  });

  it('fits a narrow frame: nothing sticks out sideways, the controls stay reachable', async () => {
    for (const [name, result] of [
      ['text_to_speech', results.timed],
      ['text_to_voice', results.warm],
    ] as const) {
      const frame = await show(name, name, {}, result, { width: 320 });
      await durations(frame);
      const overflow = await frame.evaluate(() =>
        [...document.querySelectorAll('.card *')]
          .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((node) => node.outerHTML.slice(0, 80)),
      );
      expect(overflow, name).toEqual([]);
      await screenshot(`narrow-${name}`);
      await page.close();
    }
  });

  it('under a CSP without the S3 origin, Chromium reports the violation (what others assert is absent)', async () => {
    const frame = await show('text_to_speech', 'Text to speech', {}, results.blocked, { csp: {} });
    await frame.waitForFunction(() =>
      /could not be loaded|no fresh one/.test(document.querySelector('.status')?.textContent ?? ''),
    );
    expect(
      cspViolations().some((line) => line.includes(new URL(stack.s3.endpoint).origin) || /media-src/.test(line)),
    ).toBe(true);
  });
});

function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
