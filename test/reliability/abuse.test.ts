import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_URLS_PER_REQUEST } from '../../src/storage/file-store.js';
import { type AbuseBench, madeUpKey, startAbuseBench } from '../support/abuse-bench.js';
import { GATED_CALLS, REFUSED_UPLOAD_TYPES, REJECTED, SERVED_UPLOADS, WAV } from '../support/abuse-cases.js';
import { callTool, KEY_A, textOf, uploadThroughTool, type Stack } from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * The public Function URL tried as a hostile internet would (issue 12, findings 1 to 3): storage and
 * URL downloads only for a key ElevenLabs accepts, nothing a browser would run served from the bucket,
 * and a cap on upload URLs per request that a 2025-03-26 batch cannot get around. The case tables are in
 * test/support/abuse-cases.ts, the stack, file server and bucket look-ups in test/support/abuse-bench.ts.
 */

let bench: AbuseBench;
let stack: Stack;

const tallies = {
  gate: new Tally('abuse: storage and downloads only for accepted keys'),
  served: new Tally('abuse: upload types and how downloads are served'),
  limits: new Tally('abuse: upload URLs per request'),
};

beforeAll(async () => {
  bench = await startAbuseBench();
  stack = bench.stack;
});
afterAll(async () => {
  for (const tally of Object.values(tallies)) tally.report();
  await bench.stop();
});
beforeEach(() => bench.clear());

describe('finding 1: storage and URL downloads only for a key ElevenLabs accepts', () => {
  for (const c of GATED_CALLS) {
    it(`${c.tool} with a made-up key: "ElevenLabs rejected the API key", nothing signed, stored or downloaded`, () =>
      tallies.gate.count(async () => {
        const key = madeUpKey();
        const result = await callTool(bench.lenient, c.tool, c.args(bench.filesOrigin), key);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain(REJECTED);
        expect(JSON.stringify(result)).not.toMatch(/X-Amz-|https?:\/\/127\.0\.0\.1/);
        expect(bench.fileRequests()).toBe(0);
        expect(await bench.objectsOf(key)).toBe(0);
        // The one call ElevenLabs saw is the cheap key check.
        expect(stack.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
      }));
  }

  it('remembers a rejection for a while: the same made-up key again costs no call at all', () =>
    tallies.gate.count(async () => {
      const key = madeUpKey();
      const first = await callTool(stack.handler, 'list_audio', {}, key);
      const again = await callTool(
        stack.handler,
        'create_upload_url',
        { filename: 'a.mp3', content_type: 'audio/mpeg', bytes: 10 },
        key,
      );
      expect(textOf(again)).toBe(textOf(first));
      expect(stack.fake.requestsTo(/^\/v1\/models$/)).toHaveLength(1);
    }));

  it('gives a generation tool the same words for a rejected key', () =>
    tallies.gate.count(async () => {
      const result = await callTool(stack.handler, 'text_to_sound_effects', { text: 'A door creaks.' }, madeUpKey());
      expect(textOf(result)).toContain(REJECTED);
    }));

  it('lets an accepted key use storage and downloads, checking it once for many calls', () =>
    tallies.gate.count(async () => {
      const key = bench.acceptedKey();
      const uploaded = await uploadThroughTool(stack.handler, key, WAV, 'voice.wav', 'audio/wav');
      expect(
        (await callTool(stack.handler, 'get_audio_url', { audio_id: uploaded.audio_id }, key)).isError,
      ).toBeUndefined();
      expect((await callTool(stack.handler, 'list_audio', {}, key)).structuredContent.items).toHaveLength(1);
      const converted = await callTool(
        bench.lenient,
        'speech_to_speech',
        { url: `${bench.filesOrigin}/talk.wav` },
        key,
      );
      expect(converted.isError).toBeUndefined();
      expect(bench.fileRequests()).toBe(1);
      expect(stack.fake.requestsTo(/^\/v1\/models$/)).toHaveLength(1);
    }));

  it('counts a restricted key (missing a permission) as one ElevenLabs knows', () =>
    tallies.gate.count(async () => {
      const key = bench.acceptedKey('missing_permissions');
      const listed = await callTool(stack.handler, 'list_audio', {}, key);
      expect(listed.isError).toBeUndefined();
    }));

  it('costs a generation tool nothing extra: its own successful call proves the key', () =>
    tallies.gate.count(async () => {
      const key = bench.acceptedKey();
      const result = await callTool(stack.handler, 'text_to_sound_effects', { text: 'Rain on a tin roof.' }, key);
      expect(result.isError).toBeUndefined();
      expect(stack.fake.requests.map((r) => r.path)).toEqual(['/v1/sound-generation']);
    }));

  it('does not remember an ElevenLabs outage as a verdict', () =>
    tallies.gate.count(async () => {
      const key = bench.acceptedKey();
      stack.fake.inject(/^\/v1\/models$/, { kind: 'reply', reply: { status: 503, body: { detail: 'busy' } } }, 3);
      const during = await callTool(stack.handler, 'list_audio', {}, key);
      expect(textOf(during)).toMatch(/unavailable right now/);
      const after = await callTool(stack.handler, 'list_audio', {}, key);
      expect(after.isError).toBeUndefined();
    }));
});

describe('finding 2: nothing a browser would run, and every download typed and disposed by us', () => {
  for (const type of REFUSED_UPLOAD_TYPES) {
    it(`refuses to sign an upload of ${type}`, () =>
      tallies.served.count(async () => {
        const result = await callTool(
          stack.handler,
          'create_upload_url',
          { filename: 'page.html', content_type: type, bytes: 100 },
          bench.acceptedKey(),
        );
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/content_type must be one of audio\/mpeg, /);
      }));
  }

  for (const [type, filename, expectedType, disposition] of SERVED_UPLOADS) {
    it(
      `serves an upload of ${type} as ${expectedType}, ` +
        `${disposition.source.startsWith('^inline') ? 'inline' : 'as an attachment'}`,
      () =>
        tallies.served.count(async () => {
          const headers = await bench.servedHeaders(bench.acceptedKey(), randomBytes(300), filename, type);
          expect(headers.type).toBe(expectedType);
          expect(headers.disposition).toMatch(disposition);
        }),
    );
  }

  it('serves an HTML page uploaded under an audio type as audio, never as a page', () =>
    tallies.served.count(async () => {
      const page = Buffer.from('<html><body><script>alert(document.domain)</script></body></html>');
      const headers = await bench.servedHeaders(bench.acceptedKey(), page, 'x.mp3', 'audio/mpeg');
      expect(headers.type).toBe('audio/mpeg');
      expect(headers.type).not.toMatch(/html/);
    }));

  it('serves generated audio inline, on the first link and on a re-signed one', () =>
    tallies.served.count(async () => {
      const speech = await callTool(stack.handler, 'text_to_speech', { text: 'Served inline.' });
      for (const url of [
        speech.structuredContent.url,
        (await callTool(stack.handler, 'get_audio_url', { audio_id: speech.structuredContent.audio_id }))
          .structuredContent.url,
      ]) {
        const download = await fetch(url);
        expect(download.headers.get('content-type')).toBe('audio/mpeg');
        expect(download.headers.get('content-disposition')).toBe(
          `inline; filename="${speech.structuredContent.audio_id}"`,
        );
        await download.arrayBuffer();
      }
    }));
});

describe('finding 1 and 3: upload URLs per request, batches included', () => {
  it(`signs at most ${MAX_UPLOAD_URLS_PER_REQUEST} upload URLs for one batch of 100, and says why for the rest`, () =>
    tallies.limits.count(async () => {
      const answers = await bench.batchOfUploadUrls(bench.acceptedKey(), 100);
      expect(answers).toHaveLength(100);
      const signed = answers.filter((a) => a.result && !a.result.isError);
      const refused = answers.filter((a) => a.result?.isError);
      expect(signed).toHaveLength(MAX_UPLOAD_URLS_PER_REQUEST);
      expect(refused).toHaveLength(100 - MAX_UPLOAD_URLS_PER_REQUEST);
      expect(textOf(refused[0].result)).toContain(
        `One request may create at most ${MAX_UPLOAD_URLS_PER_REQUEST} upload URLs`,
      );
    }));

  it('gives the next request its own allowance', () =>
    tallies.limits.count(async () => {
      const key = bench.acceptedKey();
      await bench.batchOfUploadUrls(key, MAX_UPLOAD_URLS_PER_REQUEST);
      const next = await callTool(
        stack.handler,
        'create_upload_url',
        { filename: 'one.mp3', content_type: 'audio/mpeg', bytes: 10 },
        key,
      );
      expect(next.isError).toBeUndefined();
    }));

  it('refuses an upload over 100 MiB before signing anything', () =>
    tallies.limits.count(async () => {
      const result = await callTool(
        stack.handler,
        'create_upload_url',
        { filename: 'huge.mp4', content_type: 'video/mp4', bytes: 100 * 1024 * 1024 + 1 },
        KEY_A,
      );
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/bytes must be at most 104857600/);
    }));
});
