import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { DEFAULT_SCRIPT, scriptRecording } from '../../src/local/fake-elevenlabs/fake-routes/speech.js';
import { createSafeFetcher, type SafeFetcher } from '../../src/net/safe-fetch.js';
import { createRuntime } from '../../src/runtime.js';
import { KEY_A, textOf } from '../support/harness.js';
import {
  callTool,
  DEFAULT_TRANSCRIPT,
  expectRefusedBeforeCallingOut,
  fields,
  filePart,
  filesOrigin,
  freshKey,
  onlyRequest,
  RECORDING,
  SMALL_VIDEO,
  upload,
  useSpeechStack,
} from '../support/speech-tools.js';
import { stack } from '../support/suite-stack.js';

/**
 * speech_to_text through the real handler and the real SDK, against the fake ElevenLabs API and s3rver: the
 * request it sends for each input form and option, the transcript it returns inline, and the inputs it refuses.
 * Stored transcripts and read_transcript are in tools-speech-transcripts.test.ts.
 */

useSpeechStack();

/** The real handler whose fetcher resolves every host to a public address and must never download. */
let passThrough: FunctionUrlHandler;
const lookedUp: string[] = [];
let downloads = 0;

beforeAll(() => {
  const publicDns = createSafeFetcher({
    lookup: async (host) => {
      lookedUp.push(host);
      return [{ address: '93.184.216.34', family: 4 }];
    },
  });
  const neverDownloads: SafeFetcher = {
    check: (url, options) => publicDns.check(url, options),
    fetch: (url, limits) => {
      downloads += 1;
      return publicDns.fetch(url, limits);
    },
  };
  passThrough = createHandler(createRuntime({ ...stack.env }, { fetcher: neverDownloads }));
});

describe('speech_to_text', () => {
  const STT = /^\/v1\/speech-to-text$/;

  it(
    'uploads base64 as the multipart file with the official defaults and returns the transcript inline, storing ' +
      'nothing',
    async () => {
      const key = freshKey();
      const result = await callTool(
        stack.handler,
        'speech_to_text',
        { base64: RECORDING.toString('base64'), filename: 'memo.mp3' },
        key,
      );
      expect(result.isError).toBeFalsy();

      const { request, form } = await onlyRequest(STT);
      expect(request.headers['xi-api-key']).toBe(key);
      expect([...request.query.keys()]).toEqual([]);
      expect(fields(form)).toEqual({
        model_id: 'scribe_v2',
        diarize: 'false',
        timestamps_granularity: 'word',
        tag_audio_events: 'true',
      });
      expect(await filePart(form, 'file')).toEqual({ bytes: RECORDING, filename: 'memo.mp3', type: 'audio/mpeg' });

      expect(result.structuredContent).toEqual({
        text: DEFAULT_TRANSCRIPT,
        offset: 0,
        next_offset: null,
        total_characters: DEFAULT_TRANSCRIPT.length,
        language_code: 'eng',
        language_probability: 0.98,
        speakers: null,
        words: null,
        words_truncated: false,
        srt: null,
        transcript_id: null,
        transcript_url: null,
        srt_id: null,
        srt_url: null,
        expires_at: null,
        transcription_id: expect.stringMatching(/^tr_/),
        audio_duration_secs: 5.4,
        model_id: 'scribe_v2',
        source: 'base64',
      });
      expect(textOf(result)).toBe(`Transcript (language eng, 98% confidence; 5.4 s of audio):\n${DEFAULT_TRANSCRIPT}`);
      expect((await callTool(stack.handler, 'list_audio', {}, key)).structuredContent.count).toBe(0);
    },
  );

  it('sends every option for an uploaded audio_id; returns speaker turns, word timings and the SRT', async () => {
    const key = freshKey();
    const audioId = await upload(key, RECORDING, 'interview.mp3', 'audio/mpeg');
    const result = await callTool(
      stack.handler,
      'speech_to_text',
      {
        audio_id: audioId,
        model_id: 'scribe_v2',
        language_code: 'en',
        diarize: true,
        num_speakers: 2,
        timestamps_granularity: 'character',
        tag_audio_events: false,
        include_words: true,
        srt: true,
      },
      key,
    );
    expect(result.isError).toBeFalsy();

    const { form } = await onlyRequest(STT);
    expect(fields(form)).toEqual({
      model_id: 'scribe_v2',
      language_code: 'en',
      diarize: 'true',
      num_speakers: '2',
      timestamps_granularity: 'character',
      tag_audio_events: 'false',
      additional_formats: '[{"format":"srt"}]',
    });
    expect(await filePart(form, 'file')).toEqual({ bytes: RECORDING, filename: audioId, type: 'audio/mpeg' });

    const s = result.structuredContent;
    expect(s.text).toBe('SPEAKER 0: Hello, and welcome to the show.\n\nSPEAKER 1: Thanks for having me.');
    expect(s.speakers).toBe(2);
    expect(s.language_code).toBe('en');
    expect(s.words).toHaveLength(10);
    expect(s.words[0]).toEqual({ text: 'Hello,', start: 0, end: 0.4, speaker_id: 'speaker_0', type: 'word' });
    expect(s.words.at(-1)).toEqual({ text: 'me.', start: 4.5, end: 4.9, speaker_id: 'speaker_1', type: 'word' });
    const srt =
      '1\n00:00:00,000 --> 00:00:02,900\nHello, and welcome to the show.\n' +
      '\n' +
      '2\n00:00:03,000 --> 00:00:04,900\nThanks for having me.\n';
    expect(s.srt).toBe(srt);
    expect(s.transcript_id).toBeNull();
    expect(textOf(result)).toContain(`SRT subtitles:\n${srt}`);
    expect(textOf(result)).toContain('2 speakers');
  });

  it(
    "takes the official server's save_transcript_to_file (alias of store_transcript) and " +
      'return_transcript_to_client_directly (no effect)',
    async () => {
      const key = freshKey();
      const result = await callTool(
        stack.handler,
        'speech_to_text',
        {
          base64: RECORDING.toString('base64'),
          filename: 'memo.mp3',
          save_transcript_to_file: true,
          return_transcript_to_client_directly: false,
        },
        key,
      );
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ text: DEFAULT_TRANSCRIPT, transcript_id: expect.any(String) });
      const refused = await callTool(
        stack.handler,
        'speech_to_text',
        {
          base64: RECORDING.toString('base64'),
          filename: 'memo.mp3',
          save_transcript_to_file: true,
          store_transcript: false,
        },
        key,
      );
      expect(textOf(refused)).toContain("save_transcript_to_file is the official server's name for store_transcript");
    },
  );

  it(
    'hands a public https url to ElevenLabs as source_url (not the deprecated cloud_storage_url), checked but never ' +
      'downloaded',
    async () => {
      const url = 'https://media.example.com/shows/episode-1.mp3?sig=abc';
      scriptRecording(stack.fake, url, [{ speaker: 'speaker_0', text: 'Streamed straight from the bucket.' }]);
      downloads = 0;
      lookedUp.length = 0;
      const result = await callTool(passThrough, 'speech_to_text', { url }, KEY_A);
      expect(result.isError).toBeFalsy();

      const { form } = await onlyRequest(STT);
      expect(form.get('source_url')).toBe(url);
      expect(form.has('cloud_storage_url')).toBe(false);
      expect(form.has('file')).toBe(false);
      expect(lookedUp).toEqual(['media.example.com']);
      expect(downloads).toBe(0);
      expect(result.structuredContent).toMatchObject({ text: 'Streamed straight from the bucket.', source: 'url' });
    },
  );

  it('refuses a url on this machine with the production fetcher, before calling ElevenLabs', async () => {
    for (const url of ['https://127.0.0.1/talk.mp3', `${filesOrigin}/talk.mp3`]) {
      const result = await callTool(stack.handler, 'speech_to_text', { url }, KEY_A);
      expectRefusedBeforeCallingOut(result, /^The URL was refused: /, STT);
    }
  });

  it.each([
    [{}, /exactly one of: url/],
    [{ url: 'https://media.example.com/a.mp3', base64: 'AAAA', filename: 'a.mp3' }, /this call gave url and base64/],
    [{ base64: 'AAAA' }, /base64 needs filename/],
    [
      { base64: SMALL_VIDEO, filename: 'notes.pdf', mime_type: 'application/pdf' },
      /speech_to_text takes audio files or video files; this file is application\/pdf/,
    ],
    [{ base64: 'AAAA', filename: 'a.mp3', num_speakers: 33 }, /num_speakers/],
    [{ base64: 'AAAA', filename: 'a.mp3', model_id: 'scribe_v9' }, /model_id/],
    [{ base64: 'AAAA', filename: 'a.mp3', timestamps_granularity: 'sentence' }, /timestamps_granularity/],
    [{ base64: 'AAAA', filename: 'a.mp3', max_characters: 10 }, /max_characters/],
  ])('refuses %j before calling ElevenLabs', async (args, says) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'speech_to_text', args, KEY_A), says, STT);
  });

  it('keeps the default script in step with the fake', () => {
    expect(DEFAULT_SCRIPT.map((u) => (u.event ? `${u.event} ${u.text}` : u.text)).join(' ')).toBe(DEFAULT_TRANSCRIPT);
  });
});
