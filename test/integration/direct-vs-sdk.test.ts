import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deadlineFrom } from '../../src/net/deadline.js';
import { createDirectApi } from '../../src/elevenlabs/direct.js';
import { readAll } from '../../src/toolkit/results.js';
import type { RecordedRequest } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { callTool, KEY_A, startStack, textOf, type Stack } from '../support/harness.js';

/**
 * The first-audio path skips the SDK for three plain HTTP calls (src/elevenlabs/direct.ts). They must stay
 * the requests the SDK's generated code sends for the same inputs: both go to the same recording server on
 * 127.0.0.1, and what matters is compared: method, path, query, the key, content type and accept headers,
 * and the JSON body (parsed: key order is no part of JSON). The plain-HTTP side is driven through the tools
 * (text_to_speech builds its body itself), the SDK side with the camelCase request its types define.
 */

let stack: Stack;
let sdk: ElevenLabsClient;

beforeAll(async () => {
  stack = await startStack();
  sdk = new ElevenLabsClient({ apiKey: KEY_A, baseUrl: stack.fake.baseUrl, maxRetries: 0 });
});
afterAll(() => stack.stop());
beforeEach(() => stack.fake.clear());

const HEADERS_THAT_MATTER = ['xi-api-key', 'content-type', 'accept'] as const;

/** The parts of a request the API acts on. */
function essence(request: RecordedRequest): Record<string, unknown> {
  return {
    method: request.method,
    path: request.path,
    query: [...request.query.entries()].sort(([a], [b]) => a.localeCompare(b)),
    headers: Object.fromEntries(
      HEADERS_THAT_MATTER.map((name) => [name, request.headers[name]?.toString().split(';')[0]?.trim() ?? null]),
    ),
    json: request.body.length ? JSON.parse(request.body.toString('utf8')) : null,
  };
}

/** The requests one step sent to `path`, as essences. */
async function sent(step: () => Promise<unknown>, path: RegExp): Promise<Array<Record<string, unknown>>> {
  stack.fake.clear();
  await step();
  return stack.fake.requestsTo(path).map(essence);
}

const GEORGE = 'JBFqnCBsd6RMkjVDRZzb';
const TTS = /^\/v1\/text-to-speech\//;

describe('plain HTTP (direct.ts) sends what the SDK sends', () => {
  it('text to speech with every option text_to_speech takes', async () => {
    const ours = await sent(async () => {
      const result = await callTool(stack.handler, 'text_to_speech', {
        text: 'The quick brown fox.',
        voice_id: GEORGE,
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
      expect(result.isError, textOf(result)).toBeFalsy();
    }, TTS);
    const theirs = await sent(
      async () =>
        readAll(
          await sdk.textToSpeech.stream(GEORGE, {
            text: 'The quick brown fox.',
            modelId: 'eleven_flash_v2_5',
            voiceSettings: { stability: 0.3, similarityBoost: 0.9, style: 0.2, useSpeakerBoost: false, speed: 1.1 },
            languageCode: 'en',
            outputFormat: 'mp3_22050_32',
            seed: 42,
            previousText: 'Before.',
            nextText: 'After.',
          }),
        ),
      TTS,
    );
    expect(ours).toHaveLength(1);
    expect(ours).toEqual(theirs);
  });

  it('text to speech with the defaults, and with timestamps', async () => {
    const ours = await sent(
      () => callTool(stack.handler, 'text_to_speech', { text: 'Defaults.', voice_id: GEORGE }),
      TTS,
    );
    const theirs = await sent(
      async () =>
        readAll(
          await sdk.textToSpeech.stream(GEORGE, {
            text: 'Defaults.',
            modelId: 'eleven_multilingual_v2',
            voiceSettings: { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 },
            outputFormat: 'mp3_44100_128',
          }),
        ),
      TTS,
    );
    expect(ours).toEqual(theirs);

    const oursTimed = await sent(
      () => callTool(stack.handler, 'text_to_speech', { text: 'Timed.', voice_id: GEORGE, with_timestamps: true }),
      TTS,
    );
    const theirsTimed = await sent(
      () =>
        sdk.textToSpeech.convertWithTimestamps(GEORGE, {
          text: 'Timed.',
          modelId: 'eleven_multilingual_v2',
          voiceSettings: { stability: 0.5, similarityBoost: 0.75, style: 0, useSpeakerBoost: true, speed: 1 },
          outputFormat: 'mp3_44100_128',
        }),
      TTS,
    );
    expect(oursTimed.map((r) => r.path)).toEqual([`/v1/text-to-speech/${GEORGE}/with-timestamps`]);
    expect(oursTimed).toEqual(theirsTimed);
  });

  it('the model list', async () => {
    const direct = createDirectApi(
      { apiKey: KEY_A, baseUrl: stack.fake.baseUrl, deadline: deadlineFrom(30_000) },
      readAll,
    );
    const ours = await sent(() => direct.listModels(), /^\/v1\/models$/);
    const theirs = await sent(() => sdk.models.list(), /^\/v1\/models$/);
    expect(ours).toHaveLength(1);
    expect(ours).toEqual(theirs);
  });

  it('the voice search behind voice_name', async () => {
    const ours = await sent(
      () => callTool(stack.handler, 'text_to_speech', { text: 'Hi.', voice_name: 'George' }),
      /^\/v2\/voices$/,
    );
    const theirs = await sent(() => sdk.voices.search({ search: 'George', pageSize: 100 }), /^\/v2\/voices$/);
    expect(ours).toHaveLength(1);
    expect(ours).toEqual(theirs);
  });

  it('an id that needs encoding in the path', async () => {
    // voice_id is checked to be letters and digits before it goes out; the direct call still encodes as the SDK does.
    const direct = createDirectApi(
      { apiKey: KEY_A, baseUrl: stack.fake.baseUrl, deadline: deadlineFrom(30_000) },
      readAll,
    );
    const body = { text: 'x' };
    const ours = await sent(
      () =>
        direct
          .textToSpeech({ voiceId: 'a b/c', outputFormat: 'mp3_44100_128', withTimestamps: false, body })
          .catch(() => undefined),
      TTS,
    );
    const theirs = await sent(
      () => sdk.textToSpeech.stream('a b/c', { text: 'x', outputFormat: 'mp3_44100_128' }).catch(() => undefined),
      TTS,
    );
    expect(ours.map((r) => r.path)).toEqual(theirs.map((r) => r.path));
  });
});
