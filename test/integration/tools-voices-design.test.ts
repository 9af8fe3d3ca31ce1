import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { AUTO_TEXT } from '../../src/local/fake-elevenlabs/fake-routes/voices.js';
import { loadTool } from '../../src/tools/index.js';
import { callTool, KEY_A, textOf } from '../support/harness.js';
import { stack, useStack } from '../support/suite-stack.js';
import { expectRefusedBeforeCallingOut } from '../support/voice-tools.js';

const createVoiceFromPreview = await loadTool('create_voice_from_preview');
const textToVoice = await loadTool('text_to_voice');

/**
 * Designing a voice from a description: text_to_voice (the previews it stores and links) and
 * create_voice_from_preview (saving the one chosen), through the real handler and the real SDK, against the
 * fake ElevenLabs API and s3rver.
 */

useStack();

const DESCRIPTION = 'A gravelly old sea captain with a thick Scottish accent, speaking slowly and warmly.';
const PREVIEW_TEXT =
  'Aye, that was the night the lighthouse went dark, and we were three miles off the rocks with nothing but the ' +
  'stars and an old compass to guide us home.';

describe('text_to_voice', () => {
  it('designs with every option, stores each preview as audio and links each one, byte for byte', async () => {
    const result = await callTool(stack.handler, 'text_to_voice', {
      voice_description: DESCRIPTION,
      text: PREVIEW_TEXT,
      model_id: 'eleven_ttv_v3',
      output_format: 'mp3_22050_32',
      loudness: -0.2,
      guidance_scale: 7,
      seed: 1234,
      should_enhance: true,
    });
    expect(result.isError).toBeFalsy();

    const [design] = stack.fake.requestsTo(/^\/v1\/text-to-voice\/design$/);
    expect(design!.method).toBe('POST');
    expect(design!.headers['xi-api-key']).toBe(KEY_A);
    expect(Object.fromEntries(design!.query)).toEqual({ output_format: 'mp3_22050_32' });
    expect(design!.json).toEqual({
      voice_description: DESCRIPTION,
      text: PREVIEW_TEXT,
      auto_generate_text: false,
      model_id: 'eleven_ttv_v3',
      loudness: -0.2,
      guidance_scale: 7,
      seed: 1234,
      should_enhance: true,
    });

    const s = textToVoice.output.parse(result.structuredContent);
    expect(s).toMatchObject({ text: PREVIEW_TEXT, format: 'mp3_22050_32', model_id: 'eleven_ttv_v3' });
    expect(s.previews).toHaveLength(3);
    const produced = stack.fake.account(KEY_A)!.audio.slice(-3);
    const links = result.content.filter((c: { type: string }) => c.type === 'resource_link');
    expect(links).toHaveLength(3);
    for (const [index, preview] of s.previews.entries()) {
      expect(preview.generated_voice_id).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(preview.audio_id).toMatch(/^\d{13}_preview_[0-9a-f]{12}\.mp3$/);
      expect(preview.key).toBe(`audio/${callerIdOf(KEY_A)}/${preview.audio_id}`);
      expect(preview).toMatchObject({ mime_type: 'audio/mpeg', bytes: produced[index]!.length, language: 'en' });
      expect(links[index]).toMatchObject({
        uri: preview.url,
        name: preview.audio_id,
        mimeType: 'audio/mpeg',
        size: produced[index]!.length,
      });
      const download = await fetch(preview.url);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer()).equals(produced[index]!)).toBe(true);
      expect(textOf(result)).toContain(preview.generated_voice_id);
    }
    expect(new Set(s.previews.map((p: { generated_voice_id: string }) => p.generated_voice_id)).size).toBe(3);
    expect(textOf(result)).toContain('create_voice_from_preview');
  });

  it('asks ElevenLabs to write the text when none is given, with mp3_44100_128 and the default model', async () => {
    const result = await callTool(stack.handler, 'text_to_voice', { voice_description: DESCRIPTION, text: '' });
    expect(result.isError).toBeFalsy();
    const [design] = stack.fake.requestsTo(/^\/v1\/text-to-voice\/design$/);
    expect(design!.query.get('output_format')).toBe('mp3_44100_128');
    expect(design!.json).toEqual({ voice_description: DESCRIPTION, auto_generate_text: true });
    expect(result.structuredContent).toMatchObject({
      text: AUTO_TEXT,
      model_id: 'eleven_multilingual_ttv_v2',
      format: 'mp3_44100_128',
    });
    expect(result.content.filter((c: { type: string }) => c.type === 'audio')).toEqual([]);
  });

  it('returns each preview inline with include_audio, and stores raw formats under their own type', async () => {
    const result = await callTool(stack.handler, 'text_to_voice', {
      voice_description: DESCRIPTION,
      output_format: 'pcm_24000',
      include_audio: true,
    });
    expect(result.isError).toBeFalsy();
    const produced = stack.fake.account(KEY_A)!.audio.slice(-3);
    const inline = result.content.filter((c: { type: string }) => c.type === 'audio');
    expect(inline.map((c: { data: string }) => Buffer.from(c.data, 'base64').equals(produced.shift()!))).toEqual([
      true,
      true,
      true,
    ]);
    expect(inline.every((c: { mimeType: string }) => c.mimeType === 'audio/pcm')).toBe(true);
    for (const preview of result.structuredContent.previews)
      expect(preview.audio_id).toMatch(/^\d{13}_preview_[0-9a-f]{12}\.pcm$/);
  });

  it.each([
    [{ voice_description: 'Too short.' }, /voice_description must be 20 to 1000 characters/],
    [{ voice_description: 'x'.repeat(1001) }, /voice_description must be 20 to 1000 characters/],
    [{ voice_description: DESCRIPTION, text: 'Only a short line.' }, /text must be 100 to 1000 characters/],
    [{ voice_description: DESCRIPTION, model_id: 'eleven_v3' }, /model_id/],
    [{ voice_description: DESCRIPTION, output_format: 'wav_44100' }, /output_format/],
    [{ voice_description: DESCRIPTION, loudness: 2 }, /loudness/],
    [{ voice_description: DESCRIPTION, guidance_scale: 101 }, /guidance_scale/],
    [{ voice_description: DESCRIPTION, seed: -1 }, /seed/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'text_to_voice', args), reason);
  });

  it('reports an exhausted quota without storing anything', async () => {
    const broke = `sk_test_${randomBytes(16).toString('hex')}`;
    stack.fake.addKey(broke, 'quota_exceeded');
    const result = await callTool(stack.handler, 'text_to_voice', { voice_description: DESCRIPTION }, broke);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Your ElevenLabs credit quota is exhausted/);
    const listed = await callTool(stack.handler, 'list_audio', {}, broke);
    expect(listed.structuredContent.count).toBe(0);
  });
});

describe('create_voice_from_preview', () => {
  it("saves a designed preview with the official server's fields plus labels", async () => {
    const designed = await callTool(stack.handler, 'text_to_voice', { voice_description: DESCRIPTION });
    const chosen = designed.structuredContent.previews[1].generated_voice_id;
    stack.fake.clear();

    const result = await callTool(stack.handler, 'create_voice_from_preview', {
      generated_voice_id: chosen,
      voice_name: 'Captain Hamish',
      voice_description: DESCRIPTION,
      labels: { accent: 'Scottish', age: 'old' },
    });
    expect(result.isError).toBeFalsy();
    const [create] = stack.fake.requestsTo(/^\/v1\/text-to-voice$/);
    expect(create!.method).toBe('POST');
    expect(create!.headers['xi-api-key']).toBe(KEY_A);
    expect(create!.json).toEqual({
      generated_voice_id: chosen,
      voice_name: 'Captain Hamish',
      voice_description: DESCRIPTION,
      labels: { accent: 'Scottish', age: 'old' },
    });

    const s = createVoiceFromPreview.output.parse(result.structuredContent);
    expect(s).toMatchObject({
      name: 'Captain Hamish',
      category: 'generated',
      description: DESCRIPTION,
      labels: { accent: 'Scottish', age: 'old' },
    });
    expect(s.voice_id).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(textOf(result)).toContain(`Use voice_id ${s.voice_id} with text_to_speech`);
  });

  it('maps an unknown generated_voice_id to a not-found message that says where ids come from', async () => {
    const result = await callTool(stack.handler, 'create_voice_from_preview', {
      generated_voice_id: 'NoSuchPreview1234567',
      voice_name: 'Ghost',
      voice_description: DESCRIPTION,
    });
    expect(result.isError).toBe(true);
    const notFound = new RegExp(
      String.raw`^Preview NoSuchPreview1234567 \(a generated_voice_id from a text_to_voice result of this ` +
        String.raw`account\) was not found`,
    );
    expect(textOf(result)).toMatch(notFound);
  });

  it.each([
    [
      { generated_voice_id: '../voices/x', voice_name: 'X', voice_description: DESCRIPTION },
      /generated_voice_id: must be a generated_voice_id/,
    ],
    [{ generated_voice_id: 'abc', voice_name: '', voice_description: DESCRIPTION }, /voice_name/],
    [
      { generated_voice_id: 'abc', voice_name: 'X', voice_description: 'short' },
      /voice_description must be 20 to 1000 characters/,
    ],
    [{ generated_voice_id: 'abc', voice_name: 'X' }, /voice_description/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'create_voice_from_preview', args), reason);
  });
});
