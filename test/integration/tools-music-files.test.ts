import { describe, expect, it } from 'vitest';
import { loadTool } from '../../src/tools/index.js';
import { callTool, KEY_A, textOf } from '../support/harness.js';
import { download, KEY_E, SONG, useMusicStack, VIDEO } from '../support/music-stack.js';

const uploadMusicForInpainting = await loadTool('upload_music_for_inpainting');
const videoToMusic = await loadTool('video_to_music');

/**
 * video_to_music and upload_music_for_inpainting, the music tools that take a file (base64, audio_id or url),
 * through the real handler and the real SDK, against the fake ElevenLabs API and s3rver.
 */

const stack = useMusicStack();
const { musicRequests, conforming, uploaded, refusedBeforeCalling } = stack;

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
    const result = await callTool(stack.local, 'video_to_music', { url: `${stack.filesOrigin}/clip.mp4` });
    expect(result.isError).toBeFalsy();
    const video = (await musicRequests()[0]!.form()).get('videos') as File;
    expect(video.name).toBe('clip.mp4');
    expect(Buffer.from(await video.arrayBuffer()).equals(VIDEO)).toBe(true);

    stack.fake.clear();
    const refused = await callTool(stack.handler, 'video_to_music', { url: `${stack.filesOrigin}/clip.mp4` });
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
      const byUrl = await callTool(
        stack.local,
        'upload_music_for_inpainting',
        { url: `${stack.filesOrigin}/song.mp3` },
        KEY_E,
      );
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
        { url: `${stack.filesOrigin}/song.mp3` },
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
