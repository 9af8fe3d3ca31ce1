import { randomBytes } from 'node:crypto';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createHandler, type FunctionUrlHandler } from '../../src/handler.js';
import { createRuntime } from '../../src/runtime.js';
import type { NamedTool } from '../../src/toolkit/define-tool.js';
import { grantInpainting } from '../../src/local/fake-elevenlabs/fake-routes/music.js';
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

const composeMusic = await loadTool('compose_music');
const createCompositionPlan = await loadTool('create_composition_plan');
const uploadMusicForInpainting = await loadTool('upload_music_for_inpainting');
const videoToMusic = await loadTool('video_to_music');

/**
 * compose_music, create_composition_plan, video_to_music and upload_music_for_inpainting through the
 * real handler and the real SDK, against the fake ElevenLabs API and s3rver.
 */

/** An account with the inpainting feature (an enterprise plan); KEY_A has none. */
const KEY_E = 'sk_test_eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee';
const SONG = Buffer.concat([Buffer.from('ID3'), Buffer.from([4, 0, 0, 0, 0, 0]), randomBytes(6_000)]);
const VIDEO = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42'), randomBytes(9_000)]);

let stack: Stack;
/** The real handler with a fetcher that also admits the local file server (http on 127.0.0.1). */
let local: FunctionUrlHandler;
let files: Awaited<ReturnType<typeof serveFiles>>;
let filesOrigin: string;

beforeAll(async () => {
  stack = await startStack();
  stack.fake.addKey(KEY_E);
  grantInpainting(stack.fake, KEY_E);
  local = createHandler(createRuntime({ ...stack.env }, { fetcher: loopbackFetcher() }));
  files = await serveFiles({
    '/clip.mp4': { type: 'video/mp4', body: VIDEO },
    '/song.mp3': { type: 'audio/mpeg', body: SONG },
  });
  filesOrigin = files.origin;
});
afterAll(async () => {
  await files.close();
  await stack.stop();
});
beforeEach(() => stack.fake.clear());

const musicRequests = () => stack.fake.requestsTo(/^\/v1\/music/);

const ajv = new AjvJsonSchemaValidator();

/**
 * structuredContent checked as an MCP client checks it (Ajv against the listed output schema), and
 * parsed with the tool's own output schema for typed access.
 */
function conforming<O extends z.ZodObject<z.ZodRawShape>>(
  tool: NamedTool<z.ZodObject<z.ZodRawShape>, O>,
  structured: unknown,
): z.output<O> {
  const [listed] = stack.runtime.catalog.view(tool.name).list().tools;
  const verdict = ajv.getValidator(listed!.outputSchema!)(structured);
  expect(verdict.errorMessage).toBeUndefined();
  return tool.output.parse(structured);
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** A stored file, as create_upload_url and the client's PUT leave it. */
async function uploaded(key: string, body: Buffer, filename: string, contentType: string): Promise<string> {
  return (await uploadThroughTool(stack.handler, key, body, filename, contentType)).audio_id;
}

/** The call fails with `message` and nothing reaches ElevenLabs. */
async function refusedBeforeCalling(
  tool: string,
  args: Record<string, unknown>,
  message: string,
  key = KEY_A,
): Promise<void> {
  const result = await callTool(stack.handler, tool, args, key);
  expect(result.isError).toBe(true);
  expect(textOf(result)).toContain(message);
  expect(stack.fake.requests).toHaveLength(0);
}

const SECTIONS_PLAN = {
  positive_global_styles: ['warm lo-fi hip hop', '75 bpm'],
  sections: [
    { section_name: 'Intro', positive_local_styles: ['vinyl crackle', 'soft rhodes'], duration_ms: 8_000 },
    {
      section_name: 'Verse 1',
      positive_local_styles: ['boom bap drums'],
      negative_local_styles: ['distortion'],
      duration_ms: 20_000,
      lines: ['Rain on the window', 'Coffee going cold'],
    },
  ],
};

describe('compose_music', () => {
  it('sends a prompt as the API expects and stores exactly the audio it returned', async () => {
    const result = await callTool(stack.handler, 'compose_music', {
      prompt: 'A calm acoustic guitar piece for a cooking video',
      music_length_ms: 30_000,
      model_id: 'music_v2',
      force_instrumental: true,
    });
    expect(result.isError).toBeFalsy();

    const [req] = musicRequests();
    expect(musicRequests()).toHaveLength(1);
    expect(req).toMatchObject({ method: 'POST', path: '/v1/music' });
    expect(req!.headers['xi-api-key']).toBe(KEY_A);
    expect(req!.query.get('output_format')).toBe('mp3_44100_128');
    expect(req!.json).toEqual({
      prompt: 'A calm acoustic guitar piece for a cooking video',
      music_length_ms: 30_000,
      model_id: 'music_v2',
      force_instrumental: true,
    });

    const s = conforming(composeMusic, result.structuredContent);
    const produced = stack.fake.account(KEY_A)!.audio.at(-1)!;
    expect(s).toMatchObject({
      format: 'mp3_44100_128',
      mime_type: 'audio/mpeg',
      bytes: produced.length,
      model_id: 'music_v2',
      source: 'prompt',
      duration_ms: 30_000,
      song_id: null,
    });
    expect(s.audio_id).toMatch(/^\d{13}_music_[0-9a-f]{12}\.mp3$/);
    expect(s.request_id).toMatch(/^req_/);
    expect((await download(s.url)).equals(produced)).toBe(true);
    expect(result.content.find((c: { type: string }) => c.type === 'resource_link')).toMatchObject({
      uri: s.url,
      mimeType: 'audio/mpeg',
      size: produced.length,
    });
    expect(textOf(result)).toContain('Composed music from a prompt, 0:30 long with music_v2');
    expect(textOf(result)).toContain(s.url);
  });

  it('sends a sections plan in snake_case with music_v1, its defaults filled in, and the seed', async () => {
    const result = await callTool(stack.handler, 'compose_music', {
      composition_plan: SECTIONS_PLAN,
      seed: 7,
      output_format: 'mp3_48000_192',
      include_audio: true,
    });
    expect(result.isError).toBeFalsy();

    const [req] = musicRequests();
    expect(req!.query.get('output_format')).toBe('mp3_48000_192');
    expect(req!.json).toEqual({
      composition_plan: {
        positive_global_styles: ['warm lo-fi hip hop', '75 bpm'],
        negative_global_styles: [],
        sections: [
          {
            section_name: 'Intro',
            positive_local_styles: ['vinyl crackle', 'soft rhodes'],
            negative_local_styles: [],
            duration_ms: 8_000,
            lines: [],
          },
          {
            section_name: 'Verse 1',
            positive_local_styles: ['boom bap drums'],
            negative_local_styles: ['distortion'],
            duration_ms: 20_000,
            lines: ['Rain on the window', 'Coffee going cold'],
          },
        ],
      },
      model_id: 'music_v1',
      seed: 7,
    });
    const s = conforming(composeMusic, result.structuredContent);
    expect(s).toMatchObject({
      format: 'mp3_48000_192',
      source: 'composition_plan',
      duration_ms: 28_000,
      model_id: 'music_v1',
    });
    const produced = stack.fake.account(KEY_A)!.audio.at(-1)!;
    expect((await download(s.url)).equals(produced)).toBe(true);
    const inline = result.content.find((c: { type: string }) => c.type === 'audio');
    expect(Buffer.from(inline.data, 'base64').equals(produced)).toBe(true);
    expect(textOf(result)).toContain('from a composition plan (2 sections), 0:28 long with music_v1');
  });

  it('sends a chunks plan reusing a stored song, and returns the song_id of a song stored for inpainting', async () => {
    const plan = {
      chunks: [
        { song_id: 'song_abc123', range: { start_ms: 0, end_ms: 15_000 } },
        {
          text: '[Chorus]\nWe rise tonight',
          duration_ms: 12_000,
          positive_styles: ['bigger drums', 'layered vocals'],
          context_adherence: 'high',
          conditioning_ref: { song_id: 'song_abc123', range: { start_ms: 15_000, end_ms: 27_000 } },
          condition_strength: 'medium',
        },
      ],
    };
    const result = await callTool(
      stack.handler,
      'compose_music',
      { composition_plan: plan, model_id: 'music_v2_5', store_for_inpainting: true },
      KEY_E,
    );
    expect(result.isError).toBeFalsy();
    const [req] = musicRequests();
    expect(req!.headers['xi-api-key']).toBe(KEY_E);
    expect(req!.json).toEqual({ composition_plan: plan, model_id: 'music_v2_5', store_for_inpainting: true });
    const s = conforming(composeMusic, result.structuredContent);
    expect(s.song_id).toMatch(/^song_[0-9a-f]{20}$/);
    expect(s.duration_ms).toBe(27_000);
    expect(textOf(result)).toContain(`Stored for inpainting as song_id ${s.song_id}`);

    // Without a model_id, a chunks plan goes to music_v2, the model its format is for.
    stack.fake.clear();
    await callTool(stack.handler, 'compose_music', { composition_plan: { chunks: [plan.chunks[1]!] } }, KEY_E);
    expect(musicRequests()[0]!.json).toMatchObject({ model_id: 'music_v2' });
  });

  it.each([
    [{}, 'Give prompt (a description of the music) or composition_plan'],
    [{ prompt: '   ' }, 'Give prompt (a description of the music) or composition_plan'],
    [{ prompt: 'jazz', composition_plan: SECTIONS_PLAN }, 'Give prompt or composition_plan, not both'],
    [{ composition_plan: SECTIONS_PLAN, music_length_ms: 30_000 }, 'music_length_ms works only with prompt'],
    [{ composition_plan: SECTIONS_PLAN, force_instrumental: true }, 'force_instrumental works only with prompt'],
    [{ prompt: 'jazz', seed: 3 }, 'seed works only with composition_plan'],
    [{ prompt: 'jazz', music_length_ms: 2_999 }, 'music_length_ms: music_length_ms must be at least 3000'],
    [{ prompt: 'jazz', music_length_ms: 600_001 }, 'music_length_ms: music_length_ms must be at most 600000'],
    [{ prompt: 'jazz', music_length_ms: 30_000.5 }, 'music_length_ms'],
    [
      { composition_plan: SECTIONS_PLAN, model_id: 'music_v2' },
      'the plan format of music_v1 only; music_v2 takes a plan of chunks',
    ],
    [
      {
        composition_plan: { chunks: [{ text: 'x', duration_ms: 5_000, positive_styles: ['a'] }] },
        model_id: 'music_v1',
      },
      'music_v1 takes sections',
    ],
    [
      { composition_plan: { ...SECTIONS_PLAN, sections: [{ ...SECTIONS_PLAN.sections[0], duration_ms: 2_000 }] } },
      'composition_plan.sections.0.duration_ms: duration_ms must be at least 3000',
    ],
    [{ composition_plan: { chunks: [{ text: 'x', duration_ms: 5_000 }] } }, 'chunks.0: positive_styles'],
    [
      { composition_plan: { sections: [], styles: [] } },
      'a composition plan is either {positive_global_styles, negative_global_styles, sections} for music_v1 or ' +
        '{chunks}',
    ],
    [
      {
        composition_plan: {
          positive_global_styles: ['x'],
          sections: Array.from({ length: 6 }, (_, i) => ({
            section_name: `Part ${i}`,
            positive_local_styles: ['x'],
            duration_ms: 120_000,
          })),
        },
      },
      'composition_plan adds up to 12:00; a song can be at most 10:00',
    ],
    [{ prompt: 'jazz', model_id: 'music_v3' }, 'model_id'],
    [{ prompt: 'jazz', output_format: 'wav_44100' }, 'output_format'],
  ])('refuses %j before calling ElevenLabs', async (args, message) => {
    await refusedBeforeCalling('compose_music', args, message);
  });

  it("passes on ElevenLabs' suggested rewording when it refuses a prompt", async () => {
    stack.fake.inject(/^\/v1\/music$/, {
      kind: 'reply',
      reply: {
        status: 400,
        body: {
          detail: {
            status: 'bad_prompt',
            message: 'Your prompt appears to have violated our Terms of Service.',
            data: { prompt_suggestion: 'A cinematic orchestral piece with epic strings' },
          },
        },
      },
    });
    const result = await callTool(stack.handler, 'compose_music', {
      prompt: 'epic strings in the style of a famous film composer',
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe(
      'ElevenLabs refused the prompt: Your prompt appears to have violated our Terms of Service. It suggests this ' +
        'prompt instead: "A cinematic orchestral piece with epic strings". ' +
        'Nothing was generated. Describe genre, mood and instruments instead of naming artists, bands or copyrighted ' +
        'lyrics.',
    );
  });

  it('says music needs a paid plan when ElevenLabs answers 402 for a free account', async () => {
    stack.fake.inject(/^\/v1\/music$/, {
      kind: 'reply',
      reply: {
        status: 402,
        body: {
          detail: {
            status: 'limited_access',
            message: 'Music API is not available for free users. Please upgrade to a paid plan to use the API.',
          },
        },
      },
    });
    const result = await callTool(stack.handler, 'compose_music', { prompt: 'jazz' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Music API is not available for free users');
    expect(textOf(result)).toContain('The music API needs a paid ElevenLabs plan');
    expect(textOf(result)).not.toMatch(/quota is exhausted/);
  });

  it('says inpainting needs an enterprise plan when an account without it asks to store the song', async () => {
    const generated = stack.fake.account(KEY_A)!.audio.length;
    const result = await callTool(
      stack.handler,
      'compose_music',
      { prompt: 'jazz', store_for_inpainting: true },
      KEY_A,
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('only available to enterprise plans with the inpainting feature');
    expect(stack.fake.account(KEY_A)!.audio).toHaveLength(generated);
  });
});

describe('create_composition_plan', () => {
  it('asks for a music_v2 plan by default, sending the model explicitly as the official server does', async () => {
    const result = await callTool(stack.handler, 'create_composition_plan', {
      prompt: 'A mellow jazz ballad with piano',
      music_length_ms: 45_000,
    });
    expect(result.isError).toBeFalsy();
    expect(musicRequests()[0]!.json).toEqual({
      prompt: 'A mellow jazz ballad with piano',
      music_length_ms: 45_000,
      model_id: 'music_v2',
    });
    expect(result.structuredContent).toMatchObject({
      plan_format: 'chunks',
      model_id: 'music_v2',
      duration_ms: 45_000,
    });
    expect(textOf(result)).toContain('Composition plan for music_v2: 3 chunks, 0:45 in all.');

    stack.fake.clear();
    const composed = await callTool(stack.handler, 'compose_music', {
      composition_plan: result.structuredContent.composition_plan,
    });
    expect(composed.isError).toBeFalsy();
    expect(musicRequests()[0]!.json).toEqual({
      composition_plan: result.structuredContent.composition_plan,
      model_id: 'music_v2',
    });
  });

  it('returns a music_v1 plan in snake_case, renders it compactly; compose_music takes it back as is', async () => {
    const result = await callTool(stack.handler, 'create_composition_plan', {
      prompt: 'A mellow jazz ballad with piano',
      music_length_ms: 45_000,
      model_id: 'music_v1',
    });
    expect(result.isError).toBeFalsy();
    const [req] = musicRequests();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/music/plan' });
    expect(req!.headers['xi-api-key']).toBe(KEY_A);
    expect(req!.json).toEqual({
      prompt: 'A mellow jazz ballad with piano',
      music_length_ms: 45_000,
      model_id: 'music_v1',
    });

    const s = conforming(createCompositionPlan, result.structuredContent);
    expect(result.structuredContent).toEqual({
      plan_format: 'sections',
      model_id: 'music_v1',
      duration_ms: 45_000,
      composition_plan: {
        positive_global_styles: ['mellow', 'jazz', 'ballad', 'with'],
        negative_global_styles: ['distorted'],
        sections: [
          {
            section_name: 'Intro',
            positive_local_styles: ['intro energy'],
            negative_local_styles: [],
            duration_ms: 15_000,
            lines: [],
          },
          {
            section_name: 'Verse',
            positive_local_styles: ['verse energy'],
            negative_local_styles: [],
            duration_ms: 15_000,
            lines: ['A line about mellow'],
          },
          {
            section_name: 'Chorus',
            positive_local_styles: ['chorus energy'],
            negative_local_styles: [],
            duration_ms: 15_000,
            lines: ['A line about mellow'],
          },
        ],
      },
    });
    const text = textOf(result);
    expect(text).toContain('Composition plan for music_v1: 3 sections, 0:45 in all.');
    expect(text).toContain('Global styles: mellow, jazz, ballad, with; avoid distorted');
    expect(text).toContain('1. Intro (0:15): intro energy; instrumental');
    expect(text).toContain('2. Verse (0:15): verse energy; 1 lyric line');
    expect(text).toContain(JSON.stringify(s.composition_plan));

    stack.fake.clear();
    const composed = await callTool(stack.handler, 'compose_music', {
      composition_plan: result.structuredContent.composition_plan,
    });
    expect(composed.isError).toBeFalsy();
    expect(musicRequests()[0]!.json).toEqual({
      composition_plan: result.structuredContent.composition_plan,
      model_id: 'music_v1',
    });
  });

  it("asks for a model's format and bases a plan on a source plan, sent in snake_case", async () => {
    const source = {
      chunks: [
        { text: '[Verse]\nOld words', duration_ms: 10_000, positive_styles: ['folk'], negative_styles: ['synth'] },
      ],
    };
    const result = await callTool(stack.handler, 'create_composition_plan', {
      prompt: 'Make it a rock song',
      source_composition_plan: source,
      model_id: 'music_v2_5',
    });
    expect(result.isError).toBeFalsy();
    expect(musicRequests()[0]!.json).toEqual({
      prompt: 'Make it a rock song',
      source_composition_plan: source,
      model_id: 'music_v2_5',
    });
    const s = conforming(createCompositionPlan, result.structuredContent);
    expect(s).toMatchObject({ plan_format: 'chunks', model_id: 'music_v2_5', duration_ms: 30_000 });
    expect(s.composition_plan).toEqual({
      chunks: [
        {
          text: '[Intro]',
          duration_ms: 10_000,
          positive_styles: ['make', 'rock', 'song'],
          negative_styles: [],
          context_adherence: 'high',
        },
        {
          text: '[Verse]\nA line about make',
          duration_ms: 10_000,
          positive_styles: ['verse energy'],
          negative_styles: [],
          context_adherence: 'high',
        },
        {
          text: '[Chorus]\nA line about make',
          duration_ms: 10_000,
          positive_styles: ['chorus energy'],
          negative_styles: [],
          context_adherence: 'high',
        },
      ],
    });
    expect(textOf(result)).toContain('Composition plan for music_v2_5: 3 chunks, 0:30 in all.');
    expect(textOf(result)).toContain('2. Verse (0:10): verse energy; 1 lyric line');
    expect(textOf(result)).toContain('call compose_music with this composition_plan and model_id music_v2_5');
  });

  it.each([
    [{ prompt: '' }, 'prompt must describe the music'],
    [{ prompt: 'jazz', music_length_ms: 1_000 }, 'music_length_ms must be at least 3000'],
    [{ prompt: 'jazz', music_length_ms: 700_000 }, 'music_length_ms must be at most 600000'],
    [
      { prompt: 'jazz', source_composition_plan: SECTIONS_PLAN, model_id: 'music_v2_5' },
      'the plan format of music_v1 only',
    ],
  ])('refuses %j before calling ElevenLabs', async (args, message) => {
    await refusedBeforeCalling('create_composition_plan', args, message);
  });
});

describe('video_to_music', () => {
  it('sends the video and its fields as multipart; stores exactly the audio returned (base64)', async () => {
    const result = await callTool(stack.handler, 'video_to_music', {
      base64: VIDEO.toString('base64'),
      filename: 'clip.mp4',
      description: 'Tense, building strings',
      tags: ['cinematic', 'suspense'],
      model_id: 'music_v2',
      add_sfx: true,
      use_audio_as_reference: false,
      output_format: 'opus_48000_64',
    });
    expect(result.isError).toBeFalsy();

    const [req] = musicRequests();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/music/video-to-music' });
    expect(req!.headers['xi-api-key']).toBe(KEY_A);
    expect(req!.query.get('output_format')).toBe('opus_48000_64');
    const form = await req!.form();
    const videos = form.getAll('videos') as File[];
    expect(videos).toHaveLength(1);
    expect(videos[0]!.name).toBe('clip.mp4');
    expect(videos[0]!.type).toBe('video/mp4');
    expect(Buffer.from(await videos[0]!.arrayBuffer()).equals(VIDEO)).toBe(true);
    expect(form.get('description')).toBe('Tense, building strings');
    expect(form.getAll('tags')).toEqual(['cinematic', 'suspense']);
    expect(form.get('model_id')).toBe('music_v2');
    expect(form.get('add_sfx')).toBe('true');
    expect(form.get('use_audio_as_reference')).toBe('false');
    expect([...form.keys()].sort()).toEqual([
      'add_sfx',
      'description',
      'model_id',
      'tags',
      'tags',
      'use_audio_as_reference',
      'videos',
    ]);

    const s = conforming(videoToMusic, result.structuredContent);
    const produced = stack.fake.account(KEY_A)!.audio.at(-1)!;
    expect(s).toMatchObject({
      format: 'opus_48000_64',
      mime_type: 'audio/ogg',
      model_id: 'music_v2',
      video: { filename: 'clip.mp4', mime_type: 'video/mp4', bytes: VIDEO.length },
    });
    expect(s.audio_id).toMatch(/^\d{13}_music_[0-9a-f]{12}\.opus$/);
    expect((await download(s.url)).equals(produced)).toBe(true);
    expect(textOf(result)).toContain('Composed music for clip.mp4');
  });

  it(
    'takes a video uploaded with create_upload_url (audio_id), and only the fields given, with ' +
      'music_v2 explicitly',
    async () => {
      const audioId = await uploaded(KEY_A, VIDEO, 'holiday.mp4', 'video/mp4');
      const result = await callTool(stack.handler, 'video_to_music', { audio_id: audioId });
      expect(result.isError).toBeFalsy();
      const [req] = musicRequests();
      expect(req!.query.get('output_format')).toBe('mp3_44100_128');
      const form = await req!.form();
      expect([...form.keys()]).toEqual(['videos', 'model_id']);
      expect(form.get('model_id')).toBe('music_v2');
      expect(result.structuredContent.model_id).toBe('music_v2');
      const video = form.get('videos') as File;
      expect(video.type).toBe('video/mp4');
      expect(Buffer.from(await video.arrayBuffer()).equals(VIDEO)).toBe(true);
      expect((await download(result.structuredContent.url)).equals(stack.fake.account(KEY_A)!.audio.at(-1)!)).toBe(
        true,
      );
    },
  );

  it('downloads a url itself, and refuses a url to a private address with the production fetcher', async () => {
    const result = await callTool(local, 'video_to_music', { url: `${filesOrigin}/clip.mp4` });
    expect(result.isError).toBeFalsy();
    const video = (await musicRequests()[0]!.form()).get('videos') as File;
    expect(video.name).toBe('clip.mp4');
    expect(Buffer.from(await video.arrayBuffer()).equals(VIDEO)).toBe(true);

    stack.fake.clear();
    const refused = await callTool(stack.handler, 'video_to_music', { url: `${filesOrigin}/clip.mp4` });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/^The URL was refused: /);
    expect(stack.fake.requests).toHaveLength(0);
  });

  it.each([
    [
      { base64: SONG.toString('base64'), filename: 'song.mp3' },
      'video_to_music takes video files; this file is audio/mpeg',
    ],
    [{ description: 'x' }, 'Give the file as exactly one of: url'],
    [
      { base64: VIDEO.toString('base64'), filename: 'clip.mp4', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      'tags',
    ],
    [{ base64: VIDEO.toString('base64'), filename: 'clip.mp4', output_format: 'mp3_48000_192' }, 'output_format'],
  ])('refuses %# before calling ElevenLabs', async (args, message) => {
    await refusedBeforeCalling('video_to_music', args, message);
  });
});

describe('upload_music_for_inpainting', () => {
  it('tells an account without inpainting that it needs an enterprise plan, and what to do instead', async () => {
    const result = await callTool(
      stack.handler,
      'upload_music_for_inpainting',
      { base64: SONG.toString('base64'), filename: 'demo.mp3' },
      KEY_A,
    );
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toBeUndefined();
    expect(textOf(result)).toBe(
      'ElevenLabs refused the upload: music inpainting (uploading songs, storing them, reusing their parts) is only ' +
        'available to enterprise plans with the inpainting feature ' +
        '(ElevenLabs said: "Music inpainting is only available to enterprise clients with access to the inpainting ' +
        'feature."). Nothing was stored. ' +
        'To get it, contact ElevenLabs sales at https://elevenlabs.io/contact-sales. Without it, generate new music ' +
        'with compose_music, from a prompt or from a plan made with create_composition_plan.',
    );
    expect(musicRequests()).toHaveLength(1);
  });

  it('uploads the file as multipart; returns the song_id, its plan and word timings (base64)', async () => {
    const result = await callTool(
      stack.handler,
      'upload_music_for_inpainting',
      {
        base64: SONG.toString('base64'),
        filename: 'demo.mp3',
        extract_composition_plan: 'music_v2',
        with_timestamps: true,
      },
      KEY_E,
    );
    expect(result.isError).toBeFalsy();

    const [req] = musicRequests();
    expect(req).toMatchObject({ method: 'POST', path: '/v1/music/upload' });
    expect(req!.headers['xi-api-key']).toBe(KEY_E);
    const form = await req!.form();
    const file = form.get('file') as File;
    expect(file.name).toBe('demo.mp3');
    expect(file.type).toBe('audio/mpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(SONG)).toBe(true);
    expect(form.get('extract_composition_plan')).toBe('music_v2');
    expect(form.get('with_timestamps')).toBe('true');
    expect([...form.keys()].sort()).toEqual(['extract_composition_plan', 'file', 'with_timestamps']);

    const s = conforming(uploadMusicForInpainting, result.structuredContent);
    expect(s.song_id).toMatch(/^song_[0-9a-f]{20}$/);
    expect(s.file).toEqual({ filename: 'demo.mp3', mime_type: 'audio/mpeg', bytes: SONG.length });
    expect(s.words_timestamps).toEqual([
      { word: 'la', start_ms: 1_000, end_ms: 1_300 },
      { word: 'la', start_ms: 1_400, end_ms: 1_700 },
      { word: 'land', start_ms: 1_800, end_ms: 2_100 },
    ]);
    expect(s.composition_plan).toMatchObject({
      chunks: [{ text: '[Intro]', duration_ms: 8_000 }, { duration_ms: 8_000 }, { duration_ms: 8_000 }],
    });
    expect(textOf(result)).toContain(`for inpainting: song_id ${s.song_id}`);
    expect(textOf(result)).toContain('Its composition plan (3 chunks, 0:24)');

    // The song_id goes straight into a plan that keeps its first part.
    stack.fake.clear();
    const plan = {
      chunks: [
        { song_id: s.song_id, range: { start_ms: 0, end_ms: 8_000 } },
        { text: '[Outro]', duration_ms: 6_000, positive_styles: ['fade out'] },
      ],
    };
    const composed = await callTool(stack.handler, 'compose_music', { composition_plan: plan }, KEY_E);
    expect(composed.isError).toBeFalsy();
    expect(musicRequests()[0]!.json).toEqual({ composition_plan: plan, model_id: 'music_v2' });
  });

  it(
    'uploads generated audio by audio_id with only the file field when no plan is wanted, and a url through the ' +
      'fetcher, extracting a music_v2 plan by default',
    async () => {
      const speech = await callTool(stack.handler, 'text_to_speech', { text: 'A little song to upload.' }, KEY_E);
      const spoken = stack.fake.account(KEY_E)!.audio.at(-1)!;
      stack.fake.clear();
      const byId = await callTool(
        stack.handler,
        'upload_music_for_inpainting',
        { audio_id: speech.structuredContent.audio_id, extract_composition_plan: null },
        KEY_E,
      );
      expect(byId.isError).toBeFalsy();
      expect(byId.structuredContent).toMatchObject({ composition_plan: null, words_timestamps: null });
      conforming(uploadMusicForInpainting, byId.structuredContent);
      let form = await musicRequests()[0]!.form();
      expect([...form.keys()]).toEqual(['file']);
      expect(Buffer.from(await (form.get('file') as File).arrayBuffer()).equals(spoken)).toBe(true);

      stack.fake.clear();
      const byUrl = await callTool(local, 'upload_music_for_inpainting', { url: `${filesOrigin}/song.mp3` }, KEY_E);
      expect(byUrl.isError).toBeFalsy();
      form = await musicRequests()[0]!.form();
      expect((form.get('file') as File).name).toBe('song.mp3');
      expect(Buffer.from(await (form.get('file') as File).arrayBuffer()).equals(SONG)).toBe(true);
      expect(form.get('extract_composition_plan')).toBe('music_v2');
      expect(byUrl.structuredContent.composition_plan.chunks.length).toBeGreaterThan(0);

      stack.fake.clear();
      const noPlan = await callTool(
        stack.handler,
        'upload_music_for_inpainting',
        { audio_id: speech.structuredContent.audio_id, extract_composition_plan: false },
        KEY_E,
      );
      expect(noPlan.structuredContent.composition_plan).toBeNull();
      expect((await musicRequests()[0]!.form()).has('extract_composition_plan')).toBe(false);

      stack.fake.clear();
      const refused = await callTool(
        stack.handler,
        'upload_music_for_inpainting',
        { url: `${filesOrigin}/song.mp3` },
        KEY_E,
      );
      expect(textOf(refused)).toMatch(/^The URL was refused: /);
      expect(stack.fake.requests).toHaveLength(0);
    },
  );

  it('refuses a video before calling ElevenLabs', async () => {
    await refusedBeforeCalling(
      'upload_music_for_inpainting',
      { base64: VIDEO.toString('base64'), filename: 'clip.mp4' },
      'upload_music_for_inpainting takes audio files; this file is video/mp4',
      KEY_E,
    );
  });
});

describe('tools/list', () => {
  it('lists the music tools in the music group with honest annotations and cost notes', async () => {
    const listed = await call(stack.handler, 'tools/list', undefined, { 'x-elevenlabs-tools': 'music' });
    const tools = listed.body.result.tools as Array<{
      name: string;
      annotations: Record<string, unknown>;
      description: string;
      inputSchema: any;
      outputSchema: any;
    }>;
    const music = ['compose_music', 'create_composition_plan', 'video_to_music', 'upload_music_for_inpainting'];
    expect(tools.map((t) => t.name).filter((name) => music.includes(name))).toEqual(music);
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    for (const name of ['compose_music', 'video_to_music', 'upload_music_for_inpainting']) {
      expect(byName[name]!.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(byName[name]!.description).toMatch(/Costs ElevenLabs credits/);
    }
    expect(byName.compose_music!.description).toContain('one of the most expensive ElevenLabs operations');
    expect(byName.upload_music_for_inpainting!.description).toContain('still charges half the cost');
    expect(byName.create_composition_plan!.annotations).toMatchObject({
      readOnlyHint: true,
      idempotentHint: false,
      openWorldHint: true,
    });
    expect(byName.create_composition_plan!.description).toContain(
      'Free: it costs no credits, but ElevenLabs rate-limits it',
    );
    expect(byName.compose_music!.inputSchema.properties.composition_plan.anyOf).toHaveLength(2);
    expect(byName.compose_music!.inputSchema.properties.output_format.default).toBe('mp3_44100_128');
    expect(byName.create_composition_plan!.inputSchema.required).toEqual(['prompt']);
    expect(Object.keys(byName.create_composition_plan!.outputSchema.properties)).toEqual(
      expect.arrayContaining(['composition_plan', 'plan_format', 'duration_ms']),
    );
    // The plan's shape is spelled out once, in compose_music's input; elsewhere it is listed as an object.
    expect(byName.create_composition_plan!.outputSchema.properties.composition_plan).toEqual({ type: 'object' });
    expect(byName.create_composition_plan!.inputSchema.properties.source_composition_plan).toEqual({
      type: 'object',
      description: expect.stringContaining('composition_plan shape'),
    });
    expect(byName.upload_music_for_inpainting!.outputSchema.properties.composition_plan).toEqual({
      type: ['object', 'null'],
    });
  });
});
