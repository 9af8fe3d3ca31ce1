import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createSafeFetcher, type SafeFetcher } from '../../src/net/safe-fetch.js';
import { createRuntime } from '../../src/runtime.js';
import { loadAllTools } from '../../src/tools/index.js';

const ALL_TOOLS = await loadAllTools();
import {
  call,
  callTool as callToolRaw,
  KEY_A,
  startStack,
  textOf,
  type Stack,
  serveFiles,
  uploadThroughTool,
  loopbackFetcher,
} from '../support/harness.js';
import type { RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import {
  DEFAULT_SCRIPT,
  scriptRecording,
  SFX_CREDITS_PER_SECOND,
  srtTime,
  type Utterance,
} from '../../src/local/fake-elevenlabs/fake-routes/speech.js';

/**
 * speech_to_text, read_transcript, speech_to_speech, isolate_audio, text_to_sound_effects and
 * text_to_dialogue through the real handler and the real SDK, against the fake ElevenLabs API and s3rver.
 */

let stack: Stack;
/** The real handler whose fetcher resolves every host to a public address and must never download. */
let passThrough: FunctionUrlHandler;
const lookedUp: string[] = [];
let downloads = 0;
/** The real handler whose fetcher admits the local file server (http, 127.0.0.1). */
let downloading: FunctionUrlHandler;
/** The real handler without an audio bucket. */
let bucketless: FunctionUrlHandler;
let files: Awaited<ReturnType<typeof serveFiles>>;
let filesOrigin: string;

const RECORDING = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(20_000)]);
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), randomBytes(4000)]);
const SMALL_VIDEO = VIDEO.subarray(0, 48).toString('base64');
const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const SARAH = 'EXAVITQu4vr4xnSDxMaL';
const DEFAULT_VOICE = 'cgSgspJ2msm6clMCkdW9';
const DEFAULT_TRANSCRIPT = 'Hello, and welcome to the show. (laughter) Thanks for having me.';

beforeAll(async () => {
  stack = await startStack();
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
  downloading = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
  bucketless = createHandler(createRuntime({ ...stack.env, AUDIO_BUCKET: '' }));
  files = await serveFiles({ '/talk.mp3': { type: 'audio/mpeg', body: RECORDING } });
  filesOrigin = files.origin;
});
afterAll(async () => {
  await files.close();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

/** callTool, checking that every successful result carries exactly the structured fields its output schema declares. */
async function callTool(
  handler: FunctionUrlHandler,
  name: string,
  args: Record<string, unknown>,
  key: string = KEY_A,
): Promise<any> {
  const result = await callToolRaw(handler, name, args, key);
  if (!result.isError)
    ALL_TOOLS.find((tool) => tool.name === name)!
      .output.strict()
      .parse(result.structuredContent);
  return result;
}

/** A key of its own, known to the fake, whose storage prefix starts empty. */
function freshKey(): string {
  const key = `sk_test_${randomBytes(16).toString('hex')}`;
  stack.fake.addKey(key);
  return key;
}

/** create_upload_url, then the PUT a client would make. */
async function upload(key: string, body: Buffer, filename: string, contentType: string): Promise<string> {
  return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
}

async function download(url: string): Promise<{ type: string | null; bytes: Buffer }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The one request the fake got at `path`, with its multipart form. */
async function onlyRequest(path: RegExp): Promise<{ request: RecordedRequest; form: FormData }> {
  const requests = stack.fake.requestsTo(path);
  expect(requests).toHaveLength(1);
  const request = requests[0]!;
  expect(request.method).toBe('POST');
  return {
    request,
    form: request.headers['content-type']?.startsWith('multipart/') ? await request.form() : new FormData(),
  };
}

async function filePart(form: FormData, name: string): Promise<{ bytes: Buffer; filename: string; type: string }> {
  const part = form.get(name);
  expect(part).toBeInstanceOf(File);
  const file = part as File;
  return { bytes: Buffer.from(await file.arrayBuffer()), filename: file.name, type: file.type };
}

function fields(form: FormData): Record<string, string> {
  return Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === 'string') as Array<[string, string]>);
}

function lastAudio(key = KEY_A): Buffer {
  return stack.fake.account(key)!.audio.at(-1)!;
}

function expectRefusedBeforeCallingOut(result: any, says: RegExp, path: RegExp): void {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(says);
  expect(stack.fake.requestsTo(path)).toHaveLength(0);
}

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

  it(
    'stores a long transcript and its SRT whole, returns the first page, and read_transcript pages through the rest ' +
      'for free',
    async () => {
      const key = freshKey();
      const long = Buffer.concat([RECORDING.subarray(0, 100), randomBytes(64)]);
      const script: Utterance[] = Array.from({ length: 40 }, (_, i) => ({
        speaker: `speaker_${i % 2}`,
        text: `Line ${i} of a long conversation, with enough words in it to fill the page quickly.`,
      }));
      scriptRecording(stack.fake, long, script);
      const full = script.map((u) => u.text).join(' ');
      const result = await callTool(
        stack.handler,
        'speech_to_text',
        { base64: long.toString('base64'), filename: 'long.mp3', max_characters: 1000, srt: true },
        key,
      );
      expect(result.isError).toBeFalsy();
      const s = result.structuredContent;

      expect(s.total_characters).toBe(full.length);
      expect(s.offset).toBe(0);
      expect(s.text.length).toBeLessThanOrEqual(1000);
      expect(s.text.length).toBeGreaterThan(900);
      expect(full.startsWith(s.text)).toBe(true);
      expect(s.next_offset).toBe(s.text.length);
      expect(s.transcript_id).toMatch(/^\d{13}_stt_[0-9a-f]{12}\.txt$/);
      expect(s.srt).toBeNull();
      expect(s.srt_id).toMatch(/^\d{13}_stt_[0-9a-f]{12}\.srt$/);
      expect(textOf(result)).toContain(
        `Call read_transcript with transcript_id "${s.transcript_id}" and offset ${s.next_offset}`,
      );
      expect(textOf(result)).toContain('calling speech_to_text again would transcribe and bill again');

      const stored = await download(s.transcript_url);
      expect(stored.type).toBe('text/plain; charset=utf-8');
      expect(stored.bytes.toString('utf8')).toBe(full);
      const subtitles = await download(s.srt_url);
      expect(subtitles.type).toBe('application/x-subrip');
      const cues = subtitles.bytes.toString('utf8').trimEnd().split('\n\n');
      expect(cues).toHaveLength(40);
      expect(cues[0]).toBe(`1\n${srtTime(0)} --> ${srtTime(7.9)}\n${script[0]!.text}`);

      let text = s.text;
      let offset: number | null = s.next_offset;
      for (let pages = 0; offset !== null && pages < 10; pages++) {
        const page = await callTool(
          stack.handler,
          'read_transcript',
          { transcript_id: s.transcript_id, offset, max_characters: 1000 },
          key,
        );
        expect(page.isError).toBeFalsy();
        expect(page.structuredContent).toMatchObject({
          transcript_id: s.transcript_id,
          offset,
          total_characters: full.length,
        });
        text += page.structuredContent.text;
        offset = page.structuredContent.next_offset;
      }
      expect(offset).toBeNull();
      expect(text).toBe(full);
      expect(stack.fake.requestsTo(STT)).toHaveLength(1);
    },
  );

  it('stores a short transcript when asked, and still answers in full when storage is not configured', async () => {
    const key = freshKey();
    const result = await callTool(
      stack.handler,
      'speech_to_text',
      { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true, srt: true },
      key,
    );
    const s = result.structuredContent;
    expect(s.text).toBe(DEFAULT_TRANSCRIPT);
    expect(s.next_offset).toBeNull();
    expect((await download(s.transcript_url)).bytes.toString('utf8')).toBe(DEFAULT_TRANSCRIPT);
    expect((await download(s.srt_url)).bytes.toString('utf8')).toBe(s.srt);
    expect(
      result.content.filter((c: { type: string }) => c.type === 'resource_link').map((c: { uri: string }) => c.uri),
    ).toEqual([s.transcript_url, s.srt_url]);

    const noBucket = await callTool(
      bucketless,
      'speech_to_text',
      { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true },
      key,
    );
    expect(noBucket.isError).toBeFalsy();
    expect(noBucket.structuredContent).toMatchObject({
      text: DEFAULT_TRANSCRIPT,
      transcript_id: null,
      transcript_url: null,
    });
    expect(textOf(noBucket)).toContain('The transcript could not be stored');
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

  it('read_transcript reads only text stored for the same key', async () => {
    const key = freshKey();
    const stored = (
      await callTool(
        stack.handler,
        'speech_to_text',
        { base64: RECORDING.toString('base64'), filename: 'memo.mp3', store_transcript: true },
        key,
      )
    ).structuredContent;
    const whole = await callTool(stack.handler, 'read_transcript', { transcript_id: stored.transcript_id }, key);
    expect(whole.structuredContent).toEqual({
      transcript_id: stored.transcript_id,
      text: DEFAULT_TRANSCRIPT,
      offset: 0,
      next_offset: null,
      total_characters: DEFAULT_TRANSCRIPT.length,
    });
    expect(textOf(whole)).toContain('This is the end of the text.');

    const other = await callTool(stack.handler, 'read_transcript', { transcript_id: stored.transcript_id }, freshKey());
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain('No stored file with audio_id');

    const audioId = await upload(key, RECORDING, 'talk.mp3', 'audio/mpeg');
    const audio = await callTool(stack.handler, 'read_transcript', { transcript_id: audioId }, key);
    expect(textOf(audio)).toContain(`${audioId} is not a transcript but audio/mpeg`);
    const past = await callTool(
      stack.handler,
      'read_transcript',
      { transcript_id: stored.transcript_id, offset: 10_000 },
      key,
    );
    expect(textOf(past)).toContain(
      `offset 10000 is past the end of the text, which has ${DEFAULT_TRANSCRIPT.length} characters`,
    );
  });

  it('keeps the default script in step with the fake', () => {
    expect(DEFAULT_SCRIPT.map((u) => (u.event ? `${u.event} ${u.text}` : u.text)).join(' ')).toBe(DEFAULT_TRANSCRIPT);
  });
});

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
    expectRefusedBeforeCallingOut(
      result,
      /The dialogue's text \(all inputs together\) is 5001 characters; eleven_v3 accepts at most 5000 per request\. Nothing was billed\..*eleven_flash_v2_5 \(40000\)/,
      DIALOGUE,
    );
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
