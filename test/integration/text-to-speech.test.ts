import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { callTool, KEY_A, KEY_B, lambdaContext, startStack, textOf } from '../support/harness.js';
import { stack, useStack } from '../support/suite-stack.js';

/**
 * text_to_speech through the real handler, the real SDK, a fake ElevenLabs and s3rver: the request it sends,
 * the audio it stores (in every format, per caller) and returns (as a link, inline, with timings), the
 * characters billed, and what it says when storage fails. Choosing the voice, model and language is in
 * text-to-speech-voice-and-model.test.ts.
 */

useStack();

describe('text_to_speech through the real handler, the real SDK, a fake ElevenLabs and s3rver', () => {
  it('sends the request the real API expects and stores exactly the audio it returned', async () => {
    const result = await callTool(stack.handler, 'text_to_speech', {
      text: 'The quick brown fox jumps over the lazy dog.',
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      model_id: 'eleven_flash_v2_5',
      stability: 0.3,
      similarity_boost: 0.9,
      style: 0.2,
      use_speaker_boost: false,
      speed: 1.1,
      language_code: 'en',
      output_format: 'mp3_22050_32',
      seed: 42,
      previous_text: 'Before.',
      next_text: 'After.',
    });
    expect(result.isError).toBeFalsy();

    const [tts] = stack.fake.requestsTo(/^\/v1\/text-to-speech\//);
    expect(tts).toBeDefined();
    expect(tts!.path).toBe('/v1/text-to-speech/JBFqnCBsd6RMkjVDRZzb/stream');
    expect(tts!.headers['xi-api-key']).toBe(KEY_A);
    expect(tts!.query.get('output_format')).toBe('mp3_22050_32');
    expect(tts!.json).toEqual({
      text: 'The quick brown fox jumps over the lazy dog.',
      model_id: 'eleven_flash_v2_5',
      voice_settings: { stability: 0.3, similarity_boost: 0.9, style: 0.2, use_speaker_boost: false, speed: 1.1 },
      language_code: 'en',
      seed: 42,
      previous_text: 'Before.',
      next_text: 'After.',
    });

    const produced = stack.fake.account(KEY_A)!.audio.at(-1)!;
    const s = result.structuredContent;
    expect(s).toMatchObject({
      mime_type: 'audio/mpeg',
      bytes: produced.length,
      format: 'mp3_22050_32',
      voice_id: 'JBFqnCBsd6RMkjVDRZzb',
      model_id: 'eleven_flash_v2_5',
      characters_billed: 44,
    });
    expect(s.request_id).toMatch(/^req_/);
    expect(s.key).toBe(`audio/${callerIdOf(KEY_A)}/${s.audio_id}`);
    expect(s.audio_id).toMatch(/^\d{13}_tts_[0-9a-f]{12}\.mp3$/);
    expect(Date.parse(s.expires_at) - Date.now()).toBeGreaterThan(3500 * 1000);

    // The presigned URL serves, byte for byte, what the upstream produced, with type and file name: audio a player
    // streams inline.
    const download = await fetch(s.url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('audio/mpeg');
    expect(download.headers.get('content-disposition')).toBe(`inline; filename="${s.audio_id}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(produced)).toBe(true);

    const link = result.content.find((c: { type: string }) => c.type === 'resource_link');
    expect(link).toMatchObject({
      type: 'resource_link',
      uri: s.url,
      mimeType: 'audio/mpeg',
      name: s.audio_id,
      size: produced.length,
    });
    expect(textOf(result)).toContain(s.url);
    expect(textOf(result)).toContain('44 characters billed');
  });

  describe('characters billed', () => {
    const audio = Buffer.from('ID3 fake audio');
    const reply = (headers: Record<string, string>) => ({
      kind: 'reply' as const,
      reply: { headers: { 'content-type': 'audio/mpeg', ...headers }, body: audio },
    });

    it('comes from character-cost, the header the real API sends (the fake sends no other)', async () => {
      const result = await callTool(stack.handler, 'text_to_speech', { text: 'Twelve chars' });
      expect(result.structuredContent.characters_billed).toBe(12);
      expect(textOf(result)).toContain('12 characters billed');
    });

    it('falls back to x-character-count when character-cost is absent', async () => {
      stack.fake.inject(/^\/v1\/text-to-speech\//, reply({ 'x-character-count': '31' }));
      const result = await callTool(stack.handler, 'text_to_speech', { text: 'Fallback header.' });
      expect(result.structuredContent.characters_billed).toBe(31);
    });

    it('prefers character-cost when both are sent, and says nothing when neither is readable', async () => {
      stack.fake.inject(/^\/v1\/text-to-speech\//, reply({ 'character-cost': '7', 'x-character-count': '99' }));
      const both = await callTool(stack.handler, 'text_to_speech', { text: 'Both headers.' });
      expect(both.structuredContent.characters_billed).toBe(7);

      stack.fake.inject(/^\/v1\/text-to-speech\//, reply({ 'character-cost': 'n/a' }));
      const unreadable = await callTool(stack.handler, 'text_to_speech', { text: 'No figure.' });
      expect(unreadable.structuredContent.characters_billed).toBeNull();
      expect(textOf(unreadable)).not.toContain('characters billed');
    });

    it('is read the same way by the SDK-backed tools (text_to_dialogue, text_to_sound_effects)', async () => {
      stack.fake.inject(/^\/v1\/text-to-dialogue$/, reply({ 'x-character-count': '5' }));
      const dialogue = await callTool(stack.handler, 'text_to_dialogue', {
        inputs: [{ text: 'Hello', voice_id: 'JBFqnCBsd6RMkjVDRZzb' }],
      });
      expect(dialogue.isError, textOf(dialogue)).toBeFalsy();
      expect(dialogue.structuredContent.characters_billed).toBe(5);
      const sfx = await callTool(stack.handler, 'text_to_sound_effects', {
        text: 'A door creaks open',
        duration_seconds: 2,
      });
      expect(sfx.structuredContent.characters_billed).toBe(80);
    });
  });

  it.each([
    ['mp3_44100_192', 'audio/mpeg', 'mp3'],
    ['pcm_24000', 'audio/pcm', 'pcm'],
    ['wav_44100', 'audio/wav', 'wav'],
    ['ulaw_8000', 'audio/PCMU', 'ulaw'],
    ['alaw_8000', 'audio/PCMA', 'alaw'],
    ['opus_48000_64', 'audio/ogg', 'opus'],
  ])('stores %s as %s with a .%s name', async (format, mime, extension) => {
    const result = await callTool(stack.handler, 'text_to_speech', { text: `Format ${format}`, output_format: format });
    expect(result.structuredContent.mime_type).toBe(mime);
    expect(result.structuredContent.audio_id.endsWith(`.${extension}`)).toBe(true);
    const download = await fetch(result.structuredContent.url);
    expect(download.headers.get('content-type')).toBe(mime);
  });

  it(
    "keeps callers apart: each caller's audio lands under its own prefix, and the key reaches " + 'ElevenLabs',
    async () => {
      const a = await callTool(stack.handler, 'text_to_speech', { text: 'For A.' }, KEY_A);
      const b = await callTool(stack.handler, 'text_to_speech', { text: 'For B.' }, KEY_B);
      expect(a.structuredContent.key.startsWith(`audio/${callerIdOf(KEY_A)}/`)).toBe(true);
      expect(b.structuredContent.key.startsWith(`audio/${callerIdOf(KEY_B)}/`)).toBe(true);
      const keys = stack.fake.requestsTo(/^\/v1\/text-to-speech\//).map((r) => r.headers['xi-api-key']);
      expect(keys).toEqual([KEY_A, KEY_B]);
      for (const result of [a, b]) {
        expect(JSON.stringify(result)).not.toContain(KEY_A);
        expect(JSON.stringify(result)).not.toContain(KEY_B);
      }
    },
  );

  it('returns per-character timings from the with-timestamps endpoint, and stores the decoded audio', async () => {
    const result = await callTool(stack.handler, 'text_to_speech', { text: 'Hi there', with_timestamps: true });
    expect(result.isError).toBeFalsy();
    const [request] = stack.fake.requestsTo(/^\/v1\/text-to-speech\//);
    expect(request!.path).toBe('/v1/text-to-speech/cgSgspJ2msm6clMCkdW9/with-timestamps');
    const alignment = result.structuredContent.alignment;
    expect(alignment.characters.join('')).toBe('Hi there');
    expect(alignment.character_start_times_seconds).toHaveLength(8);
    expect(alignment.character_end_times_seconds[7]).toBeCloseTo(0.56);
    const download = await fetch(result.structuredContent.url);
    expect(Buffer.from(await download.arrayBuffer()).equals(stack.fake.account(KEY_A)!.audio.at(-1)!)).toBe(true);
  });

  it('adds the audio inline when include_audio is set and it is small enough', async () => {
    const small = await callTool(stack.handler, 'text_to_speech', { text: 'Inline me.', include_audio: true });
    const block = small.content.find((c: { type: string }) => c.type === 'audio');
    expect(block).toMatchObject({ type: 'audio', mimeType: 'audio/mpeg' });
    expect(Buffer.from(block.data, 'base64').equals(stack.fake.account(KEY_A)!.audio.at(-1)!)).toBe(true);
    expect(small.structuredContent.alignment).toBeNull();

    stack.fake.fixedAudioBytes = 1024 * 1024 + 1;
    try {
      const big = await callTool(stack.handler, 'text_to_speech', { text: 'Too big to inline.', include_audio: true });
      expect(big.content.some((c: { type: string }) => c.type === 'audio')).toBe(false);
      expect(textOf(big)).toContain('over the 1 MiB inline limit');
    } finally {
      stack.fake.fixedAudioBytes = undefined;
    }
    const none = await callTool(stack.handler, 'text_to_speech', { text: 'No inline.' });
    expect(none.content.some((c: { type: string }) => c.type === 'audio')).toBe(false);
  });

  it('fails with a clear error and no URL when storage is unreachable, stating the characters billed', async () => {
    const broken = await startStack({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' });
    try {
      const result = await callTool(
        broken.handler,
        'text_to_speech',
        { text: 'Twelve chars' },
        KEY_A,
        lambdaContext(20_000),
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain('could not be saved to storage');
      expect(textOf(result)).toContain('billed 12 characters');
      expect(textOf(result)).not.toMatch(/https?:\/\//);
      expect(result.structuredContent).toBeUndefined();
    } finally {
      await broken.stop();
    }
  });
});
