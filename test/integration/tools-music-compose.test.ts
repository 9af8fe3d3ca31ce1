import { describe, expect, it } from 'vitest';
import { loadTool } from '../../src/tools/index.js';
import { callTool, KEY_A, textOf } from '../support/harness.js';
import { download, KEY_E, SECTIONS_PLAN, useMusicStack } from '../support/music-stack.js';

const composeMusic = await loadTool('compose_music');

/**
 * compose_music through the real handler and the real SDK, against the fake ElevenLabs API and s3rver: a
 * prompt, a sections or a chunks plan, the arguments it refuses, and the refusals ElevenLabs explains.
 */

const stack = useMusicStack();
const { musicRequests, conforming, refusedBeforeCalling } = stack;

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
