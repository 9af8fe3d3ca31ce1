import { describe, expect, it } from 'vitest';
import { spokenIndex } from '../../src/ui/player/result.js';
import { callTool } from '../support/harness.js';
import { durations, type Results, TEXT, usePlayerSuite, VOICE_INPUTS } from '../support/player-suite.js';

// The MCP Apps player playing text_to_speech in headless Chromium, in a sandboxed iframe on another origin
// under the CSP the resource declares: the summary, the download, the text highlighted as it plays, the
// keyboard, the host's dark theme and a narrow frame. The setup is test/support/player-suite.ts.

const player = usePlayerSuite(async (handler) => {
  const results: Results = {};
  // text_to_voice first: its first call loads the ElevenLabs SDK, which holds the event loop for seconds
  // on a busy machine; an idle keep-alive socket to the in-process fake can then close under the next
  // request (fetch does not retry a POST).
  for (const [name, input] of Object.entries(VOICE_INPUTS))
    results[name] = await callTool(handler, 'text_to_voice', input);
  results.timed = await callTool(handler, 'text_to_speech', {
    text: TEXT,
    voice_name: 'George',
    with_timestamps: true,
  });
  return results;
});

describe('the MCP Apps player plays text_to_speech', () => {
  it(
    'plays text_to_speech: duration known, summary and download there, the text highlighted as it plays, no CSP ' +
      'violation',
    async () => {
      const result = player.results.timed;
      const s = result.structuredContent;
      const frame = await player.show(
        'text_to_speech',
        'Text to speech',
        { text: TEXT, with_timestamps: true },
        result,
      );

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
      expect(downloaded.equals(player.stack.fake.audioFor(TEXT))).toBe(true);
      await download!.click();
      await player.page.waitForFunction(() => window.hostLog.downloads.length === 1);
      expect(await player.page.evaluate(() => window.hostLog.downloads[0])).toEqual({
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
      await player.screenshot('single-light-playing');

      // Seeking moves the highlight, both ways.
      for (const target of [2.1, 0.2]) {
        await frame.$eval('audio', (audio, time) => (audio.currentTime = time), target);
        await frame.waitForFunction(
          (count) => document.querySelectorAll('.transcript-text .spoken').length === count,
          spokenIndex(alignment, target) + 1,
        );
        if (target > 1) await player.screenshot('single-light');
      }
      // Keyboard: Enter and Space on the play button, arrows on the seek bar; every control has a name.
      await frame.focus('button.play');
      await player.page.keyboard.press('Enter');
      await frame.waitForFunction(() => !document.querySelector('audio')!.paused);
      await player.page.keyboard.press('Space');
      await frame.waitForFunction(() => document.querySelector('audio')!.paused);
      await frame.$eval('audio', (audio) => (audio.currentTime = 1));
      await frame.focus('input.seek');
      await player.page.keyboard.press('ArrowRight');
      expect(await frame.$eval('audio', (audio) => audio.currentTime)).toBeCloseTo(2, 1);
      expect(await frame.getAttribute('input.seek', 'aria-valuetext')).toBe(`0:02 of 0:0${Math.floor(seconds!)}`);
      const unnamed = await frame.$$eval('button, input, select, a', (controls) =>
        controls.filter((c) => !(c.getAttribute('aria-label') ?? c.textContent ?? '').trim()).map((c) => c.outerHTML),
      );
      expect(unnamed).toEqual([]);
      // The screen-reader copy of the text is whole.
      expect(await frame.textContent('.transcript .visually-hidden')).toBe(TEXT);
      expect(player.cspViolations()).toEqual([]);
    },
  );

  it('follows the host theme: dark colours from the host context', async () => {
    const frame = await player.show('text_to_speech', 'Text to speech', { text: TEXT }, player.results.timed, {
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
    await player.screenshot('single-dark');

    const previews = await player.show('text_to_voice', 'Design a voice', VOICE_INPUTS.bright, player.results.bright, {
      theme: 'dark',
    });
    await durations(previews);
    await player.screenshot('previews-dark');
    expect(player.cspViolations()).toEqual([]);
  });

  it('fits a narrow frame: nothing sticks out sideways, the controls stay reachable', async () => {
    for (const [name, result] of [
      ['text_to_speech', player.results.timed],
      ['text_to_voice', player.results.warm],
    ] as const) {
      const frame = await player.show(name, name, {}, result, { width: 320 });
      await durations(frame);
      const overflow = await frame.evaluate(() =>
        [...document.querySelectorAll('.card *')]
          .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
          .map((node) => node.outerHTML.slice(0, 80)),
      );
      expect(overflow, name).toEqual([]);
      await player.screenshot(`narrow-${name}`);
      await player.page.close();
    }
  });
});

/** The luminance of a CSS `rgb()` colour, from 0 (black) to 1 (white). */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
