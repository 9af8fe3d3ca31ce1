import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { detail } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { createRuntime } from '../../src/runtime.js';
import { loadTool } from '../../src/tools/index.js';
import { callTool, KEY_A, loopbackFetcher, serveFiles, textOf, uploadThroughTool } from '../support/harness.js';
import { stack, useStack } from '../support/suite-stack.js';
import { expectRefusedBeforeCallingOut } from '../support/voice-tools.js';

const voiceClone = await loadTool('voice_clone');

/**
 * voice_clone through the real handler and the real SDK, against the fake ElevenLabs API and s3rver: the
 * multipart request it sends, samples by base64, audio_id and url, the samples and options it refuses before
 * calling out, and the refusals of ElevenLabs it explains.
 */

useStack();

/** The real handler with a fetcher that admits the local file server (http on 127.0.0.1). */
let lenient: FunctionUrlHandler;
let files: Awaited<ReturnType<typeof serveFiles>>;
let filesOrigin: string;
const WAV = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0x40, 0, 0]),
  Buffer.from('WAVEfmt '),
  randomBytes(16_000),
]);
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(5000)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);

beforeAll(async () => {
  lenient = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
  files = await serveFiles({
    '/sample.wav': { type: 'audio/wav', body: WAV },
    '/empty.wav': { type: 'audio/wav', body: Buffer.alloc(0) },
  });
  filesOrigin = files.origin;
});
afterAll(() => files.close());

/** create_upload_url, then the PUT a client would make with the headers it returned. */
async function upload(body: Buffer, filename: string, contentType: string, key = KEY_A): Promise<string> {
  return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
}

async function fileBytes(file: FormDataEntryValue): Promise<Buffer> {
  return Buffer.from(await (file as File).arrayBuffer());
}

describe('voice_clone', () => {
  it('sends name, description, labels, remove_background_noise and the decoded sample as multipart', async () => {
    const result = await callTool(stack.handler, 'voice_clone', {
      name: 'My Narrator',
      description: 'Calm and clear, for audiobooks.',
      labels: { accent: 'British', gender: 'female' },
      remove_background_noise: true,
      files: [{ base64: MP3.toString('base64'), filename: 'take1.mp3' }],
    });
    expect(result.isError).toBeFalsy();

    const [clone] = stack.fake.requestsTo(/^\/v1\/voices\/add$/);
    expect(clone!.method).toBe('POST');
    expect(clone!.headers['xi-api-key']).toBe(KEY_A);
    const form = await clone!.form();
    expect([...new Set(form.keys())].sort()).toEqual([
      'description',
      'files',
      'labels',
      'name',
      'remove_background_noise',
    ]);
    expect(form.get('name')).toBe('My Narrator');
    expect(form.get('description')).toBe('Calm and clear, for audiobooks.');
    expect(JSON.parse(String(form.get('labels')))).toEqual({ accent: 'British', gender: 'female' });
    expect(form.get('remove_background_noise')).toBe('true');
    const [file] = form.getAll('files');
    expect((file as File).name).toBe('take1.mp3');
    expect((file as File).type).toBe('audio/mpeg');
    expect((await fileBytes(file!)).equals(MP3)).toBe(true);

    const s = voiceClone.output.parse(result.structuredContent);
    expect(s).toEqual({
      voice_id: expect.stringMatching(/^[A-Za-z0-9]{20}$/),
      name: 'My Narrator',
      requires_verification: false,
      samples: [{ filename: 'take1.mp3', mime_type: 'audio/mpeg', bytes: MP3.length, source: 'base64' }],
    });
    expect(textOf(result)).toContain(`voice_id ${s.voice_id}`);
    expect(JSON.stringify(result)).not.toContain(KEY_A);
  });

  it('takes samples by audio_id (generated speech and an upload) and by url, in order, byte for byte', async () => {
    const speech = await callTool(stack.handler, 'text_to_speech', { text: 'A sample of generated speech to clone.' });
    const spoken = stack.fake.account(KEY_A)!.audio.at(-1)!;
    const uploaded = await upload(WAV, 'interview.wav', 'audio/wav');
    stack.fake.clear();

    const result = await callTool(lenient, 'voice_clone', {
      name: 'Mixed sources',
      files: [
        { audio_id: speech.structuredContent.audio_id },
        { audio_id: uploaded },
        { url: `${filesOrigin}/sample.wav` },
      ],
    });
    expect(result.isError).toBeFalsy();

    const [clone] = stack.fake.requestsTo(/^\/v1\/voices\/add$/);
    const form = await clone!.form();
    // Options left out are not sent at all (not even as false or null).
    expect([...new Set(form.keys())].sort()).toEqual(['files', 'name', 'remove_background_noise']);
    expect(form.get('remove_background_noise')).toBe('false');
    const sent = form.getAll('files') as File[];
    expect(sent.map((f) => [f.name, f.type])).toEqual([
      [speech.structuredContent.audio_id, 'audio/mpeg'],
      [uploaded, 'audio/wav'],
      ['sample.wav', 'audio/wav'],
    ]);
    expect((await fileBytes(sent[0]!)).equals(spoken)).toBe(true);
    expect((await fileBytes(sent[1]!)).equals(WAV)).toBe(true);
    expect((await fileBytes(sent[2]!)).equals(WAV)).toBe(true);
    expect(result.structuredContent.samples.map((s: { source: string }) => s.source)).toEqual([
      'audio_id',
      'audio_id',
      'url',
    ]);
  });

  it('refuses a url on 127.0.0.1 with the production fetcher, naming the sample, before calling out', async () => {
    const result = await callTool(stack.handler, 'voice_clone', {
      name: 'Local',
      files: [{ base64: MP3.toString('base64'), filename: 'a.mp3' }, { url: `${filesOrigin}/sample.wav` }],
    });
    expectRefusedBeforeCallingOut(result, /^files\[1\]: The URL was refused: /);
    expect(textOf(result)).toContain('create_upload_url');
  });

  const sample = { base64: MP3.toString('base64'), filename: 'a.mp3' };
  it.each([
    ['no samples', { files: [] }, /files: give at least one voice sample/],
    ['26 samples', { files: Array.from({ length: 26 }, () => ({ audio_id: 'x' })) }, /at most 25 voice samples/],
    [
      'a sample with two sources',
      { files: [sample, { url: 'https://example.com/a.mp3', audio_id: 'x' }] },
      /^files\[1\]: Give exactly one of url, audio_id or base64; this call gave url and audio_id/,
    ],
    ['base64 without filename', { files: [{ base64: sample.base64 }] }, /base64 needs filename/],
    [
      'an image',
      { files: [{ base64: PNG.toString('base64'), filename: 'photo.png', mime_type: 'image/png' }] },
      /voice_clone takes audio files or video files; this file is image\/png/,
    ],
    ['broken base64', { files: [{ base64: 'not base64!', filename: 'a.mp3' }] }, /base64 is not valid base64/],
    ['a label name with a path', { files: [sample], labels: { '../x': 'y' } }, /labels/],
    ['an unknown argument', { files: [sample], voice_id: 'x' }, /Unrecognized key/i],
    ['a file path', { files: [{ ...sample, path: '/etc/passwd' }] }, /Unrecognized key/i],
  ])('refuses %s before calling out', async (_label, args, reason) => {
    const result = await callTool(stack.handler, 'voice_clone', { name: 'Refused', ...args });
    expectRefusedBeforeCallingOut(result, reason);
  });

  it('refuses an empty download, naming the sample', async () => {
    const result = await callTool(lenient, 'voice_clone', {
      name: 'Empty',
      files: [{ url: `${filesOrigin}/sample.wav` }, { url: `${filesOrigin}/empty.wav` }],
    });
    expectRefusedBeforeCallingOut(
      result,
      /^files\[1\]: The file at the URL could not be downloaded: the server answered with an empty file/,
    );
  });

  it('refuses a stored sample of another key like a missing one', async () => {
    const other = stack.fake.addKey(`sk_test_${randomBytes(16).toString('hex')}`).key;
    const theirs = await upload(WAV, 'theirs.wav', 'audio/wav', other);
    stack.fake.clear();
    const result = await callTool(stack.handler, 'voice_clone', { name: 'Not mine', files: [{ audio_id: theirs }] });
    expectRefusedBeforeCallingOut(result, /No stored file with audio_id .* exists for your API key/);
  });

  it('bounds each sample at 10 MiB and all of them at 50 MiB', async () => {
    const big = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 1), 'big.wav', 'audio/wav');
    const nine = await upload(Buffer.alloc(9 * 1024 * 1024, 2), 'nine.wav', 'audio/wav');
    stack.fake.clear();

    const tooBig = await callTool(stack.handler, 'voice_clone', { name: 'Big', files: [{ audio_id: big }] });
    expectRefusedBeforeCallingOut(tooBig, /larger than 10 MiB, the most this tool accepts/);

    const tooMuch = await callTool(stack.handler, 'voice_clone', {
      name: 'Many',
      files: Array.from({ length: 6 }, () => ({ audio_id: nine })),
    });
    expectRefusedBeforeCallingOut(tooMuch, /The samples together are larger than 50 MiB/);
  });

  it('says when ElevenLabs wants the voice verified', async () => {
    stack.fake.inject(/^\/v1\/voices\/add$/, {
      kind: 'reply',
      reply: { body: { voice_id: 'VRFYabcdefghij123456', requires_verification: true } },
    });
    const result = await callTool(stack.handler, 'voice_clone', {
      name: 'Verify me',
      files: [{ base64: MP3.toString('base64'), filename: 'a.mp3' }],
    });
    expect(result.structuredContent).toMatchObject({ voice_id: 'VRFYabcdefghij123456', requires_verification: true });
    expect(textOf(result)).toContain('verified');
  });

  it("maps ElevenLabs' refusals: a full voice list, a key without the permission", async () => {
    stack.fake.inject(/^\/v1\/voices\/add$/, {
      kind: 'reply',
      reply: detail(400, 'voice_limit_reached', 'You have reached your maximum amount of custom voices.'),
    });
    const full = await callTool(stack.handler, 'voice_clone', {
      name: 'One too many',
      files: [{ base64: MP3.toString('base64'), filename: 'a.mp3' }],
    });
    expect(full.isError).toBe(true);
    expect(textOf(full)).toContain(
      'ElevenLabs rejected the request: You have reached your maximum amount of custom voices.',
    );

    const restricted = `sk_test_${randomBytes(16).toString('hex')}`;
    stack.fake.addKey(restricted, 'missing_permissions');
    const denied = await callTool(
      stack.handler,
      'voice_clone',
      { name: 'Denied', files: [{ base64: MP3.toString('base64'), filename: 'a.mp3' }] },
      restricted,
    );
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toMatch(/^ElevenLabs refused this operation for this API key/);
    expect(textOf(denied)).not.toMatch(/unauthorized/i);
  });
});
