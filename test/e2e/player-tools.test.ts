import { describe, expect, it } from 'vitest';
import { callTool } from '../support/harness.js';
import { DIALOGUE, durations, usePlayerSuite, VOICE_INPUTS } from '../support/player-suite.js';

// The MCP Apps player showing the other audio tools' results in headless Chromium, in a sandboxed iframe
// on another origin: text_to_voice's previews, sound effects, dialogue, get_audio_url and list_audio's
// files, played on demand. The setup is test/support/player-suite.ts.

const player = usePlayerSuite(async (handler) => {
  // text_to_voice first: its first call loads the ElevenLabs SDK, which holds the event loop for seconds
  // on a busy machine; an idle keep-alive socket to the in-process fake can then close under the next
  // request (fetch does not retry a POST).
  const warm = await callTool(handler, 'text_to_voice', VOICE_INPUTS.warm);
  const plain = await callTool(handler, 'text_to_speech', { text: 'A link get_audio_url renews.' });
  const sfx = await callTool(handler, 'text_to_sound_effects', { text: 'A door creaks open', duration_seconds: 2 });
  const dialogue = await callTool(handler, 'text_to_dialogue', { inputs: DIALOGUE });
  const fresh = await callTool(handler, 'get_audio_url', { audio_id: plain.structuredContent.audio_id });
  const library = await callTool(handler, 'list_audio', { limit: 4 });
  return { warm, sfx, dialogue, fresh, library };
});

describe("the MCP Apps player shows the other audio tools' results", () => {
  it('lists the previews of text_to_voice to compare, each playable with its generated_voice_id', async () => {
    const input = VOICE_INPUTS.warm;
    const result = player.results.warm;
    const previews = result.structuredContent.previews as Array<{ generated_voice_id: string; url: string }>;
    const frame = await player.show('text_to_voice', 'Design a voice', input, result);

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
    await player.screenshot('previews-light');
    expect(player.cspViolations()).toEqual([]);
  });

  it("summarises the other audio tools' results: sound effects and dialogue", async () => {
    const cases: Array<{ name: string; title: string; result: any; facts: string[]; heading?: string }> = [
      { name: 'text_to_sound_effects', title: 'Text to sound effects', result: player.results.sfx, facts: ['Format'] },
      {
        name: 'text_to_dialogue',
        title: 'Text to dialogue',
        result: player.results.dialogue,
        facts: ['Voices', 'Model', 'Format'],
      },
      // get_audio_url's own title says what it did; the heading names the audio by its kind.
      {
        name: 'get_audio_url',
        title: 'Get a fresh audio link',
        result: player.results.fresh,
        facts: [],
        heading: 'Speech',
      },
    ];
    for (const { name, title, result, facts, heading } of cases) {
      // Characters billed shows when ElevenLabs said so.
      const expected = [
        ...facts,
        ...(result.structuredContent.characters_billed == null ? [] : ['Characters billed']),
        'Duration',
      ];
      const frame = await player.show(name, title, {}, result);
      const [seconds] = await durations(frame);
      expect(seconds).toBeGreaterThan(0);
      expect(await frame.textContent('h1')).toBe(heading ?? title);
      expect(await frame.$$eval('.facts dt', (terms) => terms.map((term) => term.textContent))).toEqual(expected);
      expect(await frame.getAttribute('a.download', 'href')).toBe(result.structuredContent.url);
      await player.screenshot(name);
      expect(player.cspViolations()).toEqual([]);
      await player.page.close();
    }
  });

  it("lists list_audio's files and plays one on demand, with a link get_audio_url signs through the host", async () => {
    const items = player.results.library.structuredContent.items as Array<{ audio_id: string }>;
    expect(items).toHaveLength(4);
    const frame = await player.show(
      'list_audio',
      'List stored audio and uploads',
      { limit: 4 },
      player.results.library,
    );
    expect(await frame.$$eval('li.preview .voice-id', (ids) => ids.map((id) => id.textContent))).toEqual(
      items.map((item) => item.audio_id),
    );
    expect(await frame.$$('audio')).toHaveLength(0);
    await frame.click('li.preview:nth-child(2) button.play');
    await frame.waitForFunction(() => document.querySelector('audio') && !document.querySelector('audio')!.paused);
    expect(
      await player.page.evaluate(() =>
        window.hostLog.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args })),
      ),
    ).toEqual([{ name: 'get_audio_url', arguments: { audio_id: items[1]!.audio_id } }]);
    await durations(frame);
    const src = await frame.$eval('audio', (audio) => audio.currentSrc);
    expect(new URL(src).pathname.endsWith(items[1]!.audio_id)).toBe(true);
    await frame.click('li.preview:nth-child(2) button.play');
    await player.screenshot('list_audio');
    expect(player.cspViolations()).toEqual([]);
  });
});
