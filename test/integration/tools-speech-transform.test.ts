import { describe, expect, it } from 'vitest';
import { KEY_A, textOf } from '../support/harness.js';
import {
  callTool,
  DEFAULT_VOICE,
  download,
  downloading,
  expectRefusedBeforeCallingOut,
  fields,
  filePart,
  filesOrigin,
  freshKey,
  GEORGE,
  lastAudio,
  onlyRequest,
  RECORDING,
  SARAH,
  SMALL_VIDEO,
  upload,
  useSpeechStack,
  VIDEO,
} from '../support/speech-tools.js';
import { stack } from '../support/suite-stack.js';

/**
 * speech_to_speech and isolate_audio, the tools that turn audio into audio, through the real handler and the
 * real SDK, against the fake ElevenLabs API and s3rver: each input form (audio_id, base64, url), the request
 * sent, the audio stored and returned, and the inputs refused before calling ElevenLabs.
 */

useSpeechStack();

describe('speech_to_speech', () => {
  const STS = /^\/v1\/speech-to-speech\//;

  it(
    're-voices a text_to_speech result by voice_name with voice settings as a JSON field, stored in the requested ' +
      'format',
    async () => {
      const spoken = await callTool(stack.handler, 'text_to_speech', { text: 'Original words to re-voice.' }, KEY_A);
      const original = lastAudio();
      stack.fake.clear();

      const result = await callTool(stack.handler, 'speech_to_speech', {
        audio_id: spoken.structuredContent.audio_id,
        voice_name: 'george',
        output_format: 'wav_44100',
        stability: 0.3,
        similarity_boost: 0.9,
        style: 0.1,
        use_speaker_boost: false,
        speed: 1.1,
        seed: 7,
        remove_background_noise: true,
      });
      expect(result.isError).toBeFalsy();

      const { request, form } = await onlyRequest(STS);
      expect(request.path).toBe(`/v1/speech-to-speech/${GEORGE}/stream`);
      expect(request.headers['xi-api-key']).toBe(KEY_A);
      expect(Object.fromEntries(request.query)).toEqual({ output_format: 'wav_44100' });
      expect(fields(form)).toEqual({
        model_id: 'eleven_multilingual_sts_v2',
        voice_settings: JSON.stringify({
          stability: 0.3,
          similarity_boost: 0.9,
          style: 0.1,
          use_speaker_boost: false,
          speed: 1.1,
        }),
        seed: '7',
        remove_background_noise: 'true',
      });
      expect(await filePart(form, 'audio')).toEqual({
        bytes: original,
        filename: spoken.structuredContent.audio_id,
        type: 'audio/mpeg',
      });

      const produced = lastAudio();
      const s = result.structuredContent;
      expect(s).toMatchObject({
        format: 'wav_44100',
        mime_type: 'audio/wav',
        voice_id: GEORGE,
        voice_name: 'George - Warm, Captivating Storyteller',
        model_id: 'eleven_multilingual_sts_v2',
        source: 'audio_id',
        bytes: produced.length,
      });
      expect(s.audio_id).toMatch(/^\d{13}_sts_[0-9a-f]{12}\.wav$/);
      expect(s.request_id).toMatch(/^req_/);
      const stored = await download(s.url);
      expect(stored.type).toBe('audio/wav');
      expect(stored.bytes.equals(produced)).toBe(true);
    },
  );

  it(
    "defaults to the deployment's default voice, mp3_44100_128 and the voice's own settings; base64 in, inline " +
      'audio out',
    async () => {
      const result = await callTool(stack.handler, 'speech_to_speech', {
        base64: RECORDING.toString('base64'),
        filename: 'take.mp3',
        include_audio: true,
      });
      expect(result.isError).toBeFalsy();
      const { request, form } = await onlyRequest(STS);
      expect(request.path).toBe(`/v1/speech-to-speech/${DEFAULT_VOICE}/stream`);
      expect(Object.fromEntries(request.query)).toEqual({ output_format: 'mp3_44100_128' });
      expect(fields(form)).toEqual({ model_id: 'eleven_multilingual_sts_v2', remove_background_noise: 'false' });
      expect(await filePart(form, 'audio')).toEqual({ bytes: RECORDING, filename: 'take.mp3', type: 'audio/mpeg' });
      expect(stack.fake.requestsTo(/^\/v2\/voices$/)).toHaveLength(0);

      const produced = lastAudio();
      expect(result.structuredContent).toMatchObject({
        voice_id: DEFAULT_VOICE,
        voice_name: null,
        mime_type: 'audio/mpeg',
        source: 'base64',
      });
      const inline = result.content.find((c: { type: string }) => c.type === 'audio');
      expect(Buffer.from(inline.data, 'base64').equals(produced)).toBe(true);
      expect((await download(result.structuredContent.url)).bytes.equals(produced)).toBe(true);
    },
  );

  it('downloads a url through the fetcher and refuses it with the production one', async () => {
    const result = await callTool(downloading, 'speech_to_speech', { url: `${filesOrigin}/talk.mp3`, voice_id: SARAH });
    expect(result.isError).toBeFalsy();
    const { form } = await onlyRequest(STS);
    expect(await filePart(form, 'audio')).toEqual({ bytes: RECORDING, filename: 'talk.mp3', type: 'audio/mpeg' });
    expect(result.structuredContent.source).toBe('url');
    stack.fake.clear();
    expectRefusedBeforeCallingOut(
      await callTool(stack.handler, 'speech_to_speech', { url: 'https://127.0.0.1/talk.mp3' }),
      /^The URL was refused: .*loopback/,
      STS,
    );
  });

  it.each([
    [{ voice_id: GEORGE, voice_name: 'George' }, /Give voice_id or voice_name, not both/],
    [{ base64: SMALL_VIDEO, filename: 'clip.mp4' }, /speech_to_speech takes audio files; this file is video\/mp4/],
    [{ voice_id: 'bad/voice' }, /voice id/],
    [{ stability: 1.5 }, /stability/],
    [{ output_format: 'mp3_48000_320' }, /output_format/],
  ])('refuses %j before calling ElevenLabs', async (args, says) => {
    const result = await callTool(stack.handler, 'speech_to_speech', {
      base64: RECORDING.toString('base64'),
      filename: 'take.mp3',
      ...args,
    });
    expectRefusedBeforeCallingOut(result, says, STS);
  });

  it('reports an unknown voice as ElevenLabs does, with a way to find one', async () => {
    const result = await callTool(stack.handler, 'speech_to_speech', {
      base64: RECORDING.toString('base64'),
      filename: 'take.mp3',
      voice_id: 'NoSuchVoice123',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Voice NoSuchVoice123 was not found');
    expect(textOf(result)).toContain('search_voices');
  });
});

describe('isolate_audio', () => {
  const ISO = /^\/v1\/audio-isolation\/stream$/;

  it('sends base64 as the multipart audio field and stores the MP3 it gets back', async () => {
    const result = await callTool(stack.handler, 'isolate_audio', {
      base64: RECORDING.toString('base64'),
      filename: 'noisy.mp3',
      include_audio: true,
    });
    expect(result.isError).toBeFalsy();
    const { request, form } = await onlyRequest(ISO);
    expect(request.headers['xi-api-key']).toBe(KEY_A);
    expect([...request.query.keys()]).toEqual([]);
    expect(fields(form)).toEqual({});
    expect(await filePart(form, 'audio')).toEqual({ bytes: RECORDING, filename: 'noisy.mp3', type: 'audio/mpeg' });

    const produced = lastAudio();
    const s = result.structuredContent;
    expect(s.audio_id).toMatch(/^\d{13}_iso_[0-9a-f]{12}\.mp3$/);
    expect(s).toMatchObject({ mime_type: 'audio/mpeg', bytes: produced.length, source: 'base64' });
    const stored = await download(s.url);
    expect(stored.type).toBe('audio/mpeg');
    expect(stored.bytes.equals(produced)).toBe(true);
    expect(
      Buffer.from(result.content.find((c: { type: string }) => c.type === 'audio').data, 'base64').equals(produced),
    ).toBe(true);
  });

  it('takes a video by audio_id and a url via the fetcher; refuses 127.0.0.1 with the production one', async () => {
    const key = freshKey();
    const videoId = await upload(key, VIDEO, 'clip.mp4', 'video/mp4');
    const fromUpload = await callTool(stack.handler, 'isolate_audio', { audio_id: videoId }, key);
    expect(fromUpload.isError).toBeFalsy();
    expect(await filePart((await onlyRequest(ISO)).form, 'audio')).toEqual({
      bytes: VIDEO,
      filename: videoId,
      type: 'video/mp4',
    });
    expect((await download(fromUpload.structuredContent.url)).bytes.equals(lastAudio(key))).toBe(true);

    stack.fake.clear();
    const fromUrl = await callTool(downloading, 'isolate_audio', { url: `${filesOrigin}/talk.mp3` });
    expect(fromUrl.structuredContent.source).toBe('url');
    expect((await filePart((await onlyRequest(ISO)).form, 'audio')).bytes.equals(RECORDING)).toBe(true);

    stack.fake.clear();
    expectRefusedBeforeCallingOut(
      await callTool(stack.handler, 'isolate_audio', { url: 'https://127.0.0.1/talk.mp3' }),
      /^The URL was refused/,
      ISO,
    );
    expectRefusedBeforeCallingOut(
      await callTool(stack.handler, 'isolate_audio', { audio_id: 'upload_20200101T000000Z_000000000000.mp3' }),
      /No stored file with audio_id/,
      ISO,
    );
  });
});
