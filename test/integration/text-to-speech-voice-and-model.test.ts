import { describe, expect, it } from 'vitest';
import { callTool, textOf } from '../support/harness.js';
import { stack, useStack } from '../support/suite-stack.js';

/**
 * How text_to_speech chooses what it speaks with, through the real handler, the real SDK, a fake ElevenLabs
 * and s3rver: the documented defaults, the model picked for a language, the official server's language alias,
 * voice_name resolved against the voice library, and the unknown voices, models and over-long texts it reports.
 * The request, the stored audio and billing are in text-to-speech.test.ts.
 */

useStack();

describe('text_to_speech: the voice, model and language it speaks with', () => {
  it('uses the documented defaults: default voice, Multilingual v2, mp3_44100_128, official settings', async () => {
    const result = await callTool(stack.handler, 'text_to_speech', { text: 'Defaults.' });
    expect(result.isError).toBeFalsy();
    const [tts] = stack.fake.requestsTo(/^\/v1\/text-to-speech\//);
    expect(tts!.path).toBe('/v1/text-to-speech/cgSgspJ2msm6clMCkdW9/stream');
    expect(tts!.query.get('output_format')).toBe('mp3_44100_128');
    expect(tts!.json).toEqual({
      text: 'Defaults.',
      model_id: 'eleven_multilingual_v2',
      voice_settings: { stability: 0.5, similarity_boost: 0.75, style: 0, use_speaker_boost: true, speed: 1 },
    });
  });

  it('picks Flash v2.5 for languages Multilingual v2 does not speak, as the official server does', async () => {
    await callTool(stack.handler, 'text_to_speech', { text: 'Szia!', language_code: 'hu' });
    const [tts] = stack.fake.requestsTo(/^\/v1\/text-to-speech\//);
    expect((tts!.json as { model_id: string }).model_id).toBe('eleven_flash_v2_5');
  });

  it(
    "takes the official server's language as an alias of language_code, and refuses the two when they " + 'differ',
    async () => {
      const result = await callTool(stack.handler, 'text_to_speech', { text: 'Szia!', language: 'hu' });
      expect(result.isError, textOf(result)).toBeFalsy();
      const [tts] = stack.fake.requestsTo(/^\/v1\/text-to-speech\//);
      expect(tts!.json).toMatchObject({ model_id: 'eleven_flash_v2_5', language_code: 'hu' });

      const same = await callTool(stack.handler, 'text_to_speech', {
        text: 'Hallo.',
        language: 'de',
        language_code: 'de',
      });
      expect(same.isError, textOf(same)).toBeFalsy();

      stack.fake.clear();
      const refused = await callTool(stack.handler, 'text_to_speech', {
        text: 'Hallo.',
        language: 'de',
        language_code: 'en',
      });
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe(
        "language is the official server's name for language_code; give one of them, or the same value to both (got " +
          '"de" and "en").',
      );
      expect(stack.fake.requests).toHaveLength(0);
    },
  );

  describe('voice_name, against premade voices named as ElevenLabs names them ("George - Warm, ...")', () => {
    const SARAH = { voice_id: 'EXAVITQu4vr4xnSDxMaL', voice_name: 'Sarah - Mature, Reassuring, Confident' };
    const voiceOf = async (voice_name: string) => {
      stack.fake.clear();
      const result = await callTool(stack.handler, 'text_to_speech', { text: 'Hi.', voice_name });
      return { result, spoken: stack.fake.requestsTo(/^\/v1\/text-to-speech\//).map((r) => r.path) };
    };

    it('matches the whole name exactly, case-insensitively, searching by it', async () => {
      const { result, spoken } = await voiceOf('sarah - mature, reassuring, confident');
      expect(result.structuredContent).toMatchObject(SARAH);
      expect(spoken).toEqual([`/v1/text-to-speech/${SARAH.voice_id}/stream`]);
      expect(stack.fake.requestsTo(/^\/v2\/voices$/)[0]!.query.get('search')).toBe(
        'sarah - mature, reassuring, confident',
      );
    });

    it('matches the name before " - ": "George" is George - Warm, Captivating Storyteller', async () => {
      const { result } = await voiceOf('George');
      expect(result.structuredContent).toMatchObject({
        voice_id: 'JBFqnCBsd6RMkjVDRZzb',
        voice_name: 'George - Warm, Captivating Storyteller',
      });
      expect(textOf(result)).toContain('with voice George - Warm, Captivating Storyteller (JBFqnCBsd6RMkjVDRZzb)');
      expect((await voiceOf('sarah')).result.structuredContent).toMatchObject(SARAH);
    });

    it('matches a prefix that only one voice has', async () => {
      const { result } = await voiceOf('Lil');
      expect(result.structuredContent).toMatchObject({
        voice_id: 'pFZP5JQG7iQjIQuC4Bku',
        voice_name: 'Lily - Velvety Actress',
      });
    });

    it('refuses a prefix several voices share, listing them, before any paid call', async () => {
      const { result, spoken } = await voiceOf('Li');
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        'voice_name "Li" is ambiguous: 2 voices in your library have a name starting with "Li": Liam - Energetic, ' +
          'Social Media Creator (TX3LPaxmHKxFdv7VOQHJ); ' +
          'Lily - Velvety Actress (pFZP5JQG7iQjIQuC4Bku). Pass the voice_id of the one you mean, or its full name.',
      );
      expect(spoken).toEqual([]);
    });

    it('refuses a first name two voices share, and prefers an exact whole name over first names', async () => {
      const library = (names: Array<[string, string]>) => ({
        kind: 'reply' as const,
        reply: {
          body: {
            voices: names.map(([voice_id, name]) => ({ voice_id, name })),
            has_more: false,
            total_count: names.length,
            next_page_token: null,
          },
        },
      });
      const twoGeorges = library([
        ['JBFqnCBsd6RMkjVDRZzb', 'George - Warm, Captivating Storyteller'],
        ['cl0neGe0rge000000000', 'George - My clone'],
      ]);
      stack.fake.clear();
      stack.fake.inject(/^\/v2\/voices$/, twoGeorges);
      const ambiguous = await callTool(stack.handler, 'text_to_speech', { text: 'Hi.', voice_name: 'george' });
      expect(textOf(ambiguous)).toBe(
        'voice_name "george" is ambiguous: 2 voices in your library are named, before " - ", "george": George - My ' +
          'clone (cl0neGe0rge000000000); ' +
          'George - Warm, Captivating Storyteller (JBFqnCBsd6RMkjVDRZzb). Pass the voice_id of the one you mean, ' +
          'or ' +
          'its full name.',
      );
      expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\//)).toHaveLength(0);

      stack.fake.inject(
        /^\/v2\/voices$/,
        library([
          ['JBFqnCBsd6RMkjVDRZzb', 'George - Warm, Captivating Storyteller'],
          ['EXAVITQu4vr4xnSDxMaL', 'George'],
        ]),
      );
      const exact = await callTool(stack.handler, 'text_to_speech', { text: 'Hi.', voice_name: 'George' });
      expect(exact.structuredContent).toMatchObject({ voice_id: 'EXAVITQu4vr4xnSDxMaL', voice_name: 'George' });
    });

    it('refuses a name no rule matches with what the search found, before any paid call', async () => {
      const { result, spoken } = await voiceOf('Storyteller');
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        'No voice is named "Storyteller" in your library. Close matches: George - Warm, Captivating Storyteller ' +
          '(JBFqnCBsd6RMkjVDRZzb). Pass one of these as voice_id.',
      );
      expect(spoken).toEqual([]);
    });
  });

  it("refuses text over the model's limit, read from /v1/models, before calling text-to-speech", async () => {
    const result = await callTool(stack.handler, 'text_to_speech', {
      text: 'x'.repeat(10_001),
      model_id: 'eleven_multilingual_v2',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('eleven_multilingual_v2 accepts at most 10000');
    expect(textOf(result)).toContain('eleven_flash_v2_5 (40000)');
    expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\//)).toHaveLength(0);
    expect(stack.fake.requestsTo(/^\/v1\/models$/).length).toBeLessThanOrEqual(1);
  });

  it('refuses an unknown model before calling text-to-speech', async () => {
    const result = await callTool(stack.handler, 'text_to_speech', { text: 'Hi.', model_id: 'eleven_imaginary_v9' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Unknown model_id "eleven_imaginary_v9".*eleven_multilingual_v2/);
    expect(stack.fake.requestsTo(/^\/v1\/text-to-speech\//)).toHaveLength(0);
  });

  it('reports a voice that does not exist as voice not found', async () => {
    const result = await callTool(stack.handler, 'text_to_speech', { text: 'Hi.', voice_id: 'NoSuchVoice0000000000' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Voice NoSuchVoice0000000000 was not found');
    expect(textOf(result)).toContain('search_voices');
  });
});
