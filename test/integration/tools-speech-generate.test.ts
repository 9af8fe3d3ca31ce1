import { describe, expect, it } from 'vitest';
import { SFX_CREDITS_PER_SECOND } from '../../src/local/fake-elevenlabs/fake-routes/speech.js';
import { call, KEY_A, textOf } from '../support/harness.js';
import {
  callTool,
  download,
  expectRefusedBeforeCallingOut,
  GEORGE,
  lastAudio,
  onlyRequest,
  SARAH,
  useSpeechStack,
} from '../support/speech-tools.js';
import { stack } from '../support/suite-stack.js';

/**
 * text_to_sound_effects and text_to_dialogue, the tools that make audio from text, through the real handler
 * and the real SDK, against the fake ElevenLabs API and s3rver; and how tools/list presents all the speech
 * tools.
 */

useSpeechStack();

describe('text_to_sound_effects', () => {
  const SFX = /^\/v1\/sound-generation$/;

  it('sends every option, up to the 30 s the API allows, and stores the raw PCM it gets back', async () => {
    const result = await callTool(stack.handler, 'text_to_sound_effects', {
      text: 'Heavy rain on a tin roof',
      duration_seconds: 30,
      prompt_influence: 0.8,
      loop: true,
      model_id: 'eleven_text_to_sound_v2',
      output_format: 'pcm_16000',
    });
    expect(result.isError).toBeFalsy();
    const { request } = await onlyRequest(SFX);
    expect(request.headers['xi-api-key']).toBe(KEY_A);
    expect(Object.fromEntries(request.query)).toEqual({ output_format: 'pcm_16000' });
    expect(request.json).toEqual({
      text: 'Heavy rain on a tin roof',
      duration_seconds: 30,
      prompt_influence: 0.8,
      loop: true,
      model_id: 'eleven_text_to_sound_v2',
    });

    const produced = lastAudio();
    const s = result.structuredContent;
    expect(s.audio_id).toMatch(/^\d{13}_sfx_[0-9a-f]{12}\.pcm$/);
    expect(s).toMatchObject({
      format: 'pcm_16000',
      mime_type: 'audio/pcm',
      duration_seconds: 30,
      bytes: produced.length,
      characters_billed: 30 * SFX_CREDITS_PER_SECOND,
    });
    const stored = await download(s.url);
    expect(stored.type).toBe('audio/pcm');
    expect(stored.bytes.equals(produced)).toBe(true);
  });

  it('leaves the duration to ElevenLabs by default', async () => {
    const result = await callTool(stack.handler, 'text_to_sound_effects', { text: 'A door creaks open' });
    const { request } = await onlyRequest(SFX);
    expect(Object.fromEntries(request.query)).toEqual({ output_format: 'mp3_44100_128' });
    expect(request.json).toEqual({ text: 'A door creaks open', prompt_influence: 0.3, loop: false });
    expect(result.structuredContent).toMatchObject({
      duration_seconds: null,
      mime_type: 'audio/mpeg',
      format: 'mp3_44100_128',
    });
    expect(textOf(result)).toContain('length chosen by ElevenLabs');
  });

  it.each([
    [{ text: 'x', duration_seconds: 0.4 }, /duration_seconds/],
    [{ text: 'x', duration_seconds: 30.5 }, /duration_seconds/],
    [{ text: 'x', output_format: 'wav_44100' }, /output_format/],
    [{ text: 'x', prompt_influence: 1.2 }, /prompt_influence/],
    [{ text: 'x', model_id: 'eleven_text_to_sound_v9' }, /model_id/],
    [{ text: '   ' }, /text must describe a sound/],
  ])('refuses %j before calling ElevenLabs', async (args, says) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'text_to_sound_effects', args), says, SFX);
  });
});

describe('text_to_dialogue', () => {
  const DIALOGUE = /^\/v1\/text-to-dialogue\/stream$/;
  const lines = [
    { text: '[cheerfully] Knock knock.', voice_id: GEORGE },
    { text: '[curious] Who is there?', voice_id: SARAH },
    { text: 'Lettuce.', voice_id: GEORGE },
  ];

  it('sends lines, settings and options as the API expects; stores the audio in the requested format', async () => {
    const result = await callTool(stack.handler, 'text_to_dialogue', {
      inputs: lines,
      settings: { stability: 0.5 },
      seed: 3,
      language_code: 'en',
      output_format: 'opus_48000_64',
    });
    expect(result.isError).toBeFalsy();
    const { request } = await onlyRequest(DIALOGUE);
    expect(request.headers['xi-api-key']).toBe(KEY_A);
    expect(Object.fromEntries(request.query)).toEqual({ output_format: 'opus_48000_64' });
    expect(request.json).toEqual({
      inputs: lines,
      model_id: 'eleven_v3',
      settings: { stability: 0.5 },
      seed: 3,
      language_code: 'en',
    });

    const produced = lastAudio();
    const total = lines.map((l) => l.text).join('').length;
    const s = result.structuredContent;
    expect(s.audio_id).toMatch(/^\d{13}_dialogue_[0-9a-f]{12}\.opus$/);
    expect(s).toMatchObject({
      format: 'opus_48000_64',
      mime_type: 'audio/ogg',
      model_id: 'eleven_v3',
      voice_ids: [GEORGE, SARAH],
      characters_billed: total,
      bytes: produced.length,
    });
    expect(textOf(result)).toContain(`${total} characters billed`);
    const stored = await download(s.url);
    expect(stored.type).toBe('audio/ogg');
    expect(stored.bytes.equals(produced)).toBe(true);
  });

  it("refuses text over the model's limit, counted over all lines, before anything is billed", async () => {
    const result = await callTool(stack.handler, 'text_to_dialogue', {
      inputs: [
        { text: 'a'.repeat(3000), voice_id: GEORGE },
        { text: 'b'.repeat(2001), voice_id: SARAH },
      ],
    });
    const overLimit = new RegExp(
      String.raw`The dialogue's text \(all inputs together\) is 5001 characters; eleven_v3 accepts at most 5000 ` +
        String.raw`per request\. Nothing was billed\..*eleven_flash_v2_5 \(40000\)`,
    );
    expectRefusedBeforeCallingOut(result, overLimit, DIALOGUE);
  });

  it.each([
    [{ inputs: [] }, /at least one line/],
    [{ inputs: [{ text: 'Hi', voice_id: '../voices' }] }, /voice id/],
    [
      { inputs: Array.from({ length: 11 }, (_, i) => ({ text: 'Hi', voice_id: `Voice${i}abc` })) },
      /at most 10 different voices/,
    ],
    [{ inputs: [{ text: 'Hi', voice_id: GEORGE, speed: 2 }] }, /speed|Unrecognized/i],
    [{ inputs: lines, model_id: 'eleven_multilingual_sts_v2' }, /cannot do text to speech/],
    [{ inputs: lines, settings: { stability: 2 } }, /stability/],
  ])('refuses %j before calling ElevenLabs', async (args, says) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'text_to_dialogue', args), says, DIALOGUE);
  });

  it('names the missing voice ElevenLabs reports', async () => {
    const result = await callTool(stack.handler, 'text_to_dialogue', {
      inputs: [...lines, { text: 'Lettuce who?', voice_id: 'NoSuchVoice123' }],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain(
      'A voice in inputs was not found: A voice with the voice_id NoSuchVoice123 was not found.',
    );
  });
});

describe('tools/list', () => {
  it('lists the speech tools with honest annotations and groups, and cost notes on the paid ones', async () => {
    const listed = await call(stack.handler, 'tools/list');
    const byName = Object.fromEntries(
      (listed.body.result.tools as Array<{ name: string }>).map((t) => [t.name, t]),
    ) as Record<string, any>;
    const paid = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
    for (const name of [
      'speech_to_text',
      'speech_to_speech',
      'isolate_audio',
      'text_to_sound_effects',
      'text_to_dialogue',
    ]) {
      expect(byName[name]!.annotations, name).toMatchObject(paid);
      expect(byName[name]!.description, name).toContain('Costs ElevenLabs credits');
      expect(byName[name]!.outputSchema, name).toBeDefined();
    }
    expect(byName.read_transcript!.annotations).toMatchObject({
      readOnlyHint: true,
      idempotentHint: true,
      openWorldHint: false,
    });

    const groups = async (selection: string) =>
      (
        (await call(stack.handler, 'tools/list', undefined, { 'x-elevenlabs-tools': selection })).body.result
          .tools as Array<{ name: string }>
      ).map((t) => t.name);
    expect(await groups('speech')).toEqual(
      expect.arrayContaining(['speech_to_text', 'read_transcript', 'speech_to_speech', 'isolate_audio']),
    );
    expect(await groups('sfx')).toContain('text_to_sound_effects');
    expect(await groups('tts')).toContain('text_to_dialogue');
  });
});
