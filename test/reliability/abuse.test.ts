import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import { MAX_UPLOAD_URLS_PER_REQUEST } from '../../src/storage/file-store.js';
import {
  callTool,
  functionUrlEvent,
  JSON_HEADERS,
  KEY_A,
  lambdaContext,
  loopbackFetcher,
  startStack,
  textOf,
  uploadThroughTool,
  type Stack,
} from '../support/harness.js';
import { Tally } from '../support/tally.js';

/**
 * The public Function URL tried as a hostile internet would (issue 12, findings 1 to 3): storage and
 * URL downloads only for a key ElevenLabs accepts, nothing a browser would run served from the bucket,
 * and a cap on upload URLs per request that a 2025-03-26 batch cannot get around.
 */

let stack: Stack;
/** The real handler with a fetcher that admits the local file server (http on 127.0.0.1). */
let lenient: FunctionUrlHandler;
let s3: S3Client;
let files: Server;
let filesOrigin: string;
let fileRequests = 0;
const WAV = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0x40, 0, 0]),
  Buffer.from('WAVEfmt '),
  randomBytes(16_000),
]);

const tallies = {
  gate: new Tally('abuse: storage and downloads only for accepted keys'),
  served: new Tally('abuse: upload types and how downloads are served'),
  limits: new Tally('abuse: upload URLs per request'),
};

beforeAll(async () => {
  stack = await startStack();
  lenient = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: stack.s3.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  files = createServer((_req, res) => {
    fileRequests += 1;
    res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(WAV.length) }).end(WAV);
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesOrigin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const tally of Object.values(tallies)) tally.report();
  s3.destroy();
  await new Promise<void>((resolve) => files.close(() => resolve()));
  await stack.stop();
});
beforeEach(() => {
  stack.fake.clear();
  fileRequests = 0;
});

/** A key nobody registered: ElevenLabs answers 401 invalid_api_key to it, as to any made-up key. */
const madeUpKey = (): string => `sk_madeup_${randomBytes(20).toString('hex')}`;
/** A key ElevenLabs accepts, with a prefix of its own. */
const acceptedKey = (status: 'ok' | 'missing_permissions' = 'ok'): string =>
  stack.fake.addKey(`sk_ok_${randomBytes(20).toString('hex')}`, status).key;

async function objectsOf(key: string): Promise<number> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: stack.s3.bucket, Prefix: `audio/${callerIdOf(key)}/` }),
  );
  return listed.KeyCount ?? 0;
}

async function held(tally: Tally, run: () => Promise<void>): Promise<void> {
  tally.tried();
  await run();
  tally.held();
}

const REJECTED =
  'ElevenLabs rejected the API key: Invalid API key. Check or create a key at ' +
  'https://elevenlabs.io/app/settings/api-keys';

/** Every tool that uses this server's storage or downloads a URL, as a made-up key would call it. */
const GATED_CALLS: ReadonlyArray<{ tool: string; args: (origin: string) => Record<string, unknown> }> = [
  {
    tool: 'create_upload_url',
    args: () => ({ filename: 'big.mp3', content_type: 'audio/mpeg', bytes: 100 * 1024 * 1024 }),
  },
  { tool: 'list_audio', args: () => ({}) },
  { tool: 'get_audio_url', args: () => ({ audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3' }) },
  { tool: 'delete_audio', args: () => ({ audio_id: 'tts_20261121T160512Z_3f9a1c7e2b4d.mp3' }) },
  { tool: 'read_transcript', args: () => ({ transcript_id: 'stt_20261121T160512Z_3f9a1c7e2b4d.txt' }) },
  {
    tool: 'voice_clone',
    args: (origin) => ({
      name: 'Flood',
      files: Array.from({ length: 25 }, (_, i) => ({ url: `${origin}/sample-${i}.wav` })),
    }),
  },
  { tool: 'speech_to_speech', args: (origin) => ({ url: `${origin}/talk.wav` }) },
  { tool: 'isolate_audio', args: (origin) => ({ url: `${origin}/noisy.wav` }) },
];

describe('finding 1: storage and URL downloads only for a key ElevenLabs accepts', () => {
  for (const c of GATED_CALLS) {
    it(`${c.tool} with a made-up key: "ElevenLabs rejected the API key", nothing signed, stored or downloaded`, () =>
      held(tallies.gate, async () => {
        const key = madeUpKey();
        const result = await callTool(lenient, c.tool, c.args(filesOrigin), key);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toContain(REJECTED);
        expect(JSON.stringify(result)).not.toMatch(/X-Amz-|https?:\/\/127\.0\.0\.1/);
        expect(fileRequests).toBe(0);
        expect(await objectsOf(key)).toBe(0);
        // The one call ElevenLabs saw is the cheap key check.
        expect(stack.fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
      }));
  }

  it('remembers a rejection for a while: the same made-up key again costs no call at all', () =>
    held(tallies.gate, async () => {
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
    held(tallies.gate, async () => {
      const result = await callTool(stack.handler, 'text_to_sound_effects', { text: 'A door creaks.' }, madeUpKey());
      expect(textOf(result)).toContain(REJECTED);
    }));

  it('lets an accepted key use storage and downloads, checking it once for many calls', () =>
    held(tallies.gate, async () => {
      const key = acceptedKey();
      const uploaded = await uploadThroughTool(stack.handler, key, WAV, 'voice.wav', 'audio/wav');
      expect(
        (await callTool(stack.handler, 'get_audio_url', { audio_id: uploaded.audio_id }, key)).isError,
      ).toBeUndefined();
      expect((await callTool(stack.handler, 'list_audio', {}, key)).structuredContent.items).toHaveLength(1);
      const converted = await callTool(lenient, 'speech_to_speech', { url: `${filesOrigin}/talk.wav` }, key);
      expect(converted.isError).toBeUndefined();
      expect(fileRequests).toBe(1);
      expect(stack.fake.requestsTo(/^\/v1\/models$/)).toHaveLength(1);
    }));

  it('counts a restricted key (missing a permission) as one ElevenLabs knows', () =>
    held(tallies.gate, async () => {
      const key = acceptedKey('missing_permissions');
      const listed = await callTool(stack.handler, 'list_audio', {}, key);
      expect(listed.isError).toBeUndefined();
    }));

  it('costs a generation tool nothing extra: its own successful call proves the key', () =>
    held(tallies.gate, async () => {
      const key = acceptedKey();
      const result = await callTool(stack.handler, 'text_to_sound_effects', { text: 'Rain on a tin roof.' }, key);
      expect(result.isError).toBeUndefined();
      expect(stack.fake.requests.map((r) => r.path)).toEqual(['/v1/sound-generation']);
    }));

  it('does not remember an ElevenLabs outage as a verdict', () =>
    held(tallies.gate, async () => {
      const key = acceptedKey();
      stack.fake.inject(/^\/v1\/models$/, { kind: 'reply', reply: { status: 503, body: { detail: 'busy' } } }, 3);
      const during = await callTool(stack.handler, 'list_audio', {}, key);
      expect(textOf(during)).toMatch(/unavailable right now/);
      const after = await callTool(stack.handler, 'list_audio', {}, key);
      expect(after.isError).toBeUndefined();
    }));
});

/** Uploads through create_upload_url and the PUT, re-signs with get_audio_url, and downloads the link. */
async function servedHeaders(
  key: string,
  body: Buffer,
  filename: string,
  contentType: string,
): Promise<{ type: string | null; disposition: string | null; audioId: string }> {
  const { audio_id } = await uploadThroughTool(stack.handler, key, body, filename, contentType);
  const signed = await callTool(stack.handler, 'get_audio_url', { audio_id }, key);
  const download = await fetch(signed.structuredContent.url);
  expect(download.status).toBe(200);
  expect(Buffer.from(await download.arrayBuffer()).equals(body)).toBe(true);
  return {
    type: download.headers.get('content-type'),
    disposition: download.headers.get('content-disposition'),
    audioId: audio_id,
  };
}

describe('finding 2: nothing a browser would run, and every download typed and disposed by us', () => {
  const refused = [
    'text/html',
    'image/svg+xml',
    'application/xml',
    'text/xml',
    'application/xhtml+xml',
    'text/javascript',
    'application/javascript',
    'application/x-sh',
    'image/png',
    'audio/x-whatever+xml',
  ];
  for (const type of refused) {
    it(`refuses to sign an upload of ${type}`, () =>
      held(tallies.served, async () => {
        const result = await callTool(
          stack.handler,
          'create_upload_url',
          { filename: 'page.html', content_type: type, bytes: 100 },
          acceptedKey(),
        );
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/content_type must be one of audio\/mpeg, /);
      }));
  }

  const served: ReadonlyArray<[string, string, string, RegExp]> = [
    ['audio/mpeg', 'song.mp3', 'audio/mpeg', /^inline; filename="\d{13}_upload_\w+\.mp3"$/],
    ['audio/wav', 'voice.wav', 'audio/wav', /^inline; filename="\d{13}_upload_\w+\.wav"$/],
    ['video/mp4', 'clip.mp4', 'video/mp4', /^inline; filename="\d{13}_upload_\w+\.mp4"$/],
    ['application/pdf', 'manual.pdf', 'application/pdf', /^attachment; filename="\d{13}_upload_\w+\.pdf"$/],
    ['text/plain', 'notes.txt', 'text/plain; charset=utf-8', /^attachment; filename="\d{13}_upload_\w+\.txt"$/],
    ['text/markdown', 'notes.md', 'text/plain; charset=utf-8', /^attachment; filename="\d{13}_upload_\w+\.md"$/],
    ['application/epub+zip', 'book.epub', 'application/epub+zip', /^attachment; filename="\d{13}_upload_\w+\.epub"$/],
  ];
  for (const [type, filename, expectedType, disposition] of served) {
    it(
      `serves an upload of ${type} as ${expectedType}, ` +
        `${disposition.source.startsWith('^inline') ? 'inline' : 'as an attachment'}`,
      () =>
        held(tallies.served, async () => {
          const headers = await servedHeaders(acceptedKey(), randomBytes(300), filename, type);
          expect(headers.type).toBe(expectedType);
          expect(headers.disposition).toMatch(disposition);
        }),
    );
  }

  it('serves an HTML page uploaded under an audio type as audio, never as a page', () =>
    held(tallies.served, async () => {
      const page = Buffer.from('<html><body><script>alert(document.domain)</script></body></html>');
      const headers = await servedHeaders(acceptedKey(), page, 'x.mp3', 'audio/mpeg');
      expect(headers.type).toBe('audio/mpeg');
      expect(headers.type).not.toMatch(/html/);
    }));

  it('serves generated audio inline, on the first link and on a re-signed one', () =>
    held(tallies.served, async () => {
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

/** One HTTP request holding a 2025-03-26 batch of create_upload_url calls. */
async function batchOfUploadUrls(key: string, count: number): Promise<any[]> {
  const body = JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      jsonrpc: '2.0',
      id: i + 1,
      method: 'tools/call',
      params: {
        name: 'create_upload_url',
        arguments: { filename: `f${i}.mp3`, content_type: 'audio/mpeg', bytes: 100 * 1024 * 1024 },
      },
    })),
  );
  const result = await stack.handler(
    functionUrlEvent({ headers: { ...JSON_HEADERS, 'x-elevenlabs-api-key': key }, body }),
    lambdaContext(),
  );
  expect(result.statusCode).toBe(200);
  return JSON.parse(result.body!) as any[];
}

describe('finding 1 and 3: upload URLs per request, batches included', () => {
  it(`signs at most ${MAX_UPLOAD_URLS_PER_REQUEST} upload URLs for one batch of 100, and says why for the rest`, () =>
    held(tallies.limits, async () => {
      const answers = await batchOfUploadUrls(acceptedKey(), 100);
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
    held(tallies.limits, async () => {
      const key = acceptedKey();
      await batchOfUploadUrls(key, MAX_UPLOAD_URLS_PER_REQUEST);
      const next = await callTool(
        stack.handler,
        'create_upload_url',
        { filename: 'one.mp3', content_type: 'audio/mpeg', bytes: 10 },
        key,
      );
      expect(next.isError).toBeUndefined();
    }));

  it('refuses an upload over 100 MiB before signing anything', () =>
    held(tallies.limits, async () => {
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
