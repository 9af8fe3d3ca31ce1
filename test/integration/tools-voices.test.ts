import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callerIdOf } from '../../src/caller.js';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import { detail } from '../../src/local/fake-elevenlabs/fake-elevenlabs.js';
import { AUTO_TEXT, LIBRARY_VOICES } from '../../src/local/fake-elevenlabs/fake-routes/voices.js';
import {
  call,
  callTool,
  KEY_A,
  startStack,
  textOf,
  type Stack,
  serveFiles,
  uploadThroughTool,
  loopbackFetcher,
} from '../support/harness.js';
import { loadTool } from '../../src/tools/index.js';

const addSharedVoice = await loadTool('add_shared_voice');
const createVoiceFromPreview = await loadTool('create_voice_from_preview');
const searchVoiceLibrary = await loadTool('search_voice_library');
const textToVoice = await loadTool('text_to_voice');
const voiceClone = await loadTool('voice_clone');

/**
 * voice_clone, text_to_voice, create_voice_from_preview, search_voice_library and add_shared_voice
 * through the real handler and the real SDK, against the fake ElevenLabs API and s3rver.
 */

let stack: Stack;
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

const DESCRIPTION = 'A gravelly old sea captain with a thick Scottish accent, speaking slowly and warmly.';
const PREVIEW_TEXT =
  'Aye, that was the night the lighthouse went dark, and we were three miles off the rocks with nothing but the ' +
  'stars and an old compass to guide us home.';

beforeAll(async () => {
  stack = await startStack();
  lenient = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
  files = await serveFiles({
    '/sample.wav': { type: 'audio/wav', body: WAV },
    '/empty.wav': { type: 'audio/wav', body: Buffer.alloc(0) },
  });
  filesOrigin = files.origin;
});
afterAll(async () => {
  await files.close();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

/** create_upload_url, then the PUT a client would make with the headers it returned. */
async function upload(body: Buffer, filename: string, contentType: string, key = KEY_A): Promise<string> {
  return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
}

async function fileBytes(file: FormDataEntryValue): Promise<Buffer> {
  return Buffer.from(await (file as File).arrayBuffer());
}

function expectRefusedBeforeCallingOut(
  result: { isError?: boolean; content: Array<{ type: string; text?: string }> },
  reason: RegExp,
): void {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toMatch(reason);
  expect(stack.fake.requests.filter((r) => !r.path.startsWith('/v1/models'))).toEqual([]);
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
    expect(textOf(result)).toMatch(
      /^Preview NoSuchPreview1234567 \(a generated_voice_id from a text_to_voice result of this account\) was not found/,
    );
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

describe('search_voice_library', () => {
  it('asks for page 0 of 10 by default and lists what a model needs to choose and add a voice', async () => {
    const result = await callTool(stack.handler, 'search_voice_library', {});
    expect(result.isError).toBeFalsy();
    const [shared] = stack.fake.requestsTo(/^\/v1\/shared-voices$/);
    expect(shared!.method).toBe('GET');
    expect(shared!.headers['xi-api-key']).toBe(KEY_A);
    expect(Object.fromEntries(shared!.query)).toEqual({ page: '0', page_size: '10' });

    const s = searchVoiceLibrary.output.parse(result.structuredContent);
    expect(s).toMatchObject({ page: 0, has_more: false, next_page: null });
    expect(s.voices).toHaveLength(LIBRARY_VOICES.length);
    expect(s.voices[0]).toEqual({
      voice_id: 'HDA9tsk27wYi3uq0fPcK',
      public_owner_id: LIBRARY_VOICES[0]!.public_owner_id,
      name: 'Stuart - Energetic and enthusiastic',
      category: 'professional',
      gender: 'male',
      age: 'middle_aged',
      accent: 'australian',
      use_case: 'social_media',
      descriptive: 'confident',
      languages: ['en (australian)'],
      description: LIBRARY_VOICES[0]!.description,
      preview_url: LIBRARY_VOICES[0]!.preview_url,
      cloned_by_count: 5312,
      rate: 1,
      is_added_by_user: false,
    });
    const text = textOf(result);
    for (const voice of LIBRARY_VOICES) {
      expect(text).toContain(
        `${voice.name} (voice_id ${voice.voice_id}, public_owner_id ${voice.public_owner_id}) [${voice.category}]`,
      );
      expect(text).toContain(`Preview: ${voice.preview_url}`);
    }
    expect(text).toContain('add_shared_voice');
  });

  it('passes every filter on the query string, use cases repeated', async () => {
    const result = await callTool(stack.handler, 'search_voice_library', {
      search: 'meditation',
      category: 'high_quality',
      gender: 'Male',
      age: 'middle_aged',
      accent: 'american',
      language: 'en',
      use_cases: ['narrative_story', 'informative_educational'],
      featured: false,
      sort: 'trending',
      page_size: 5,
    });
    expect(result.isError).toBeFalsy();
    const [shared] = stack.fake.requestsTo(/^\/v1\/shared-voices$/);
    expect([...shared!.query.entries()].sort()).toEqual(
      [
        ['accent', 'american'],
        ['age', 'middle_aged'],
        ['category', 'high_quality'],
        ['featured', 'false'],
        ['gender', 'male'],
        ['language', 'en'],
        ['page', '0'],
        ['page_size', '5'],
        ['search', 'meditation'],
        ['sort', 'trending'],
        ['use_cases', 'narrative_story'],
        ['use_cases', 'informative_educational'],
      ].sort(),
    );
    expect(result.structuredContent.voices.map((v: { name: string }) => v.name)).toEqual([
      'Jameson - Guided Meditation',
    ]);
  });

  it('pages with page and next_page', async () => {
    const first = await callTool(stack.handler, 'search_voice_library', { page_size: 2 });
    expect(first.structuredContent).toMatchObject({ page: 0, has_more: true, next_page: 1 });
    expect(textOf(first)).toContain('call again with page 1');
    const second = await callTool(stack.handler, 'search_voice_library', {
      page_size: 2,
      page: first.structuredContent.next_page,
    });
    expect(second.structuredContent).toMatchObject({ page: 1, has_more: false, next_page: null });
    expect(second.structuredContent.voices.map((v: { voice_id: string }) => v.voice_id)).toEqual([
      LIBRARY_VOICES[2]!.voice_id,
    ]);
    const none = await callTool(stack.handler, 'search_voice_library', { search: 'no such voice anywhere' });
    expect(none.structuredContent.voices).toEqual([]);
    expect(textOf(none)).toContain('No shared voices match');
  });

  it.each([
    [{ page_size: 101 }, /page_size/],
    [{ page: -1 }, /page/],
    [{ category: 'premade' }, /category/],
    [{ language: 'english' }, /language/],
    [{ accent: 'british&page_size=1000' }, /accent/],
    [{ sort: 'name' }, /sort/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'search_voice_library', args), reason);
  });
});

describe('add_shared_voice', () => {
  it('adds a library voice under a new name and returns the voice_id to speak with', async () => {
    const voice = LIBRARY_VOICES[1]!;
    const result = await callTool(stack.handler, 'add_shared_voice', {
      public_owner_id: voice.public_owner_id,
      voice_id: voice.voice_id,
      new_name: 'Jameson',
    });
    expect(result.isError).toBeFalsy();
    const [add] = stack.fake.requestsTo(/^\/v1\/voices\/add\//);
    expect(add!.method).toBe('POST');
    expect(add!.path).toBe(`/v1/voices/add/${voice.public_owner_id}/${voice.voice_id}`);
    expect(add!.headers['xi-api-key']).toBe(KEY_A);
    expect(add!.json).toEqual({ new_name: 'Jameson' });
    expect(addSharedVoice.output.parse(result.structuredContent)).toEqual({
      voice_id: voice.voice_id,
      name: 'Jameson',
    });
    expect(textOf(result)).toContain(`voice_id ${voice.voice_id}`);
  });

  it('maps a voice that is not shared to not found, and a restricted key to permission denied', async () => {
    const missing = await callTool(stack.handler, 'add_shared_voice', {
      public_owner_id: 'abc123',
      voice_id: 'NoSuchVoice',
      new_name: 'X',
    });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(
      /^Library voice NoSuchVoice of owner abc123 \(search_voice_library lists the voices that can be added\) was not found/,
    );

    const restricted = `sk_test_${randomBytes(16).toString('hex')}`;
    stack.fake.addKey(restricted, 'missing_permissions');
    const voice = LIBRARY_VOICES[0]!;
    const denied = await callTool(
      stack.handler,
      'add_shared_voice',
      { public_owner_id: voice.public_owner_id, voice_id: voice.voice_id, new_name: 'X' },
      restricted,
    );
    expect(textOf(denied)).toMatch(/^ElevenLabs refused this operation for this API key/);
  });

  it.each([
    [{ public_owner_id: '../../v1/user', voice_id: 'abc', new_name: 'X' }, /public_owner_id/],
    [{ public_owner_id: 'abc', voice_id: 'a/b', new_name: 'X' }, /voice_id/],
    [{ public_owner_id: 'abc', voice_id: 'abc' }, /new_name/],
  ])('refuses %#: %j before calling out', async (args, reason) => {
    expectRefusedBeforeCallingOut(await callTool(stack.handler, 'add_shared_voice', args), reason);
  });
});

describe('tools/list', () => {
  it('offers the voice tools with honest annotations, in the voices group', async () => {
    const listed = await call(stack.handler, 'tools/list', undefined, { 'x-elevenlabs-tools': 'voices' });
    const byName = Object.fromEntries(
      (listed.body.result.tools as Array<{ name: string }>).map((t) => [t.name, t]),
    ) as Record<string, any>;
    for (const name of ['voice_clone', 'text_to_voice', 'create_voice_from_preview', 'add_shared_voice']) {
      expect(byName[name].annotations, name).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(byName[name].description, name).toMatch(/only call it when the user asked for it/);
    }
    expect(byName.search_voice_library.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    expect(byName.search_voice_library.description).toMatch(/Free\.$/);
    expect(byName.text_to_voice.description).toContain('Costs ElevenLabs credits');
    expect(byName.voice_clone.inputSchema.properties.files.items.properties).toHaveProperty('audio_id');
    expect(Object.keys(byName.text_to_voice.outputSchema.properties.previews.items.properties)).toEqual(
      expect.arrayContaining(['generated_voice_id', 'audio_id', 'url']),
    );
  });
});
