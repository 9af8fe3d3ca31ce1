import { describe, expect, it } from 'vitest';
import { loadTool } from '../../src/tools/index.js';
import { call, callTool, KEY_A, textOf } from '../support/harness.js';
import { SECTIONS_PLAN, useMusicStack } from '../support/music-stack.js';

const createCompositionPlan = await loadTool('create_composition_plan');

/**
 * create_composition_plan through the real handler and the real SDK, against the fake ElevenLabs API (plans in
 * either format, taken back as is by compose_music), and how tools/list presents the whole music group.
 */

const stack = useMusicStack();
const { musicRequests, conforming, refusedBeforeCalling } = stack;

/** compose_music takes a plan create_composition_plan returned as it is, and sends it with `modelId`. */
async function composesAsReturned(plan: unknown, modelId: string): Promise<void> {
  stack.fake.clear();
  const composed = await callTool(stack.handler, 'compose_music', { composition_plan: plan });
  expect(composed.isError).toBeFalsy();
  expect(musicRequests()[0]!.json).toEqual({ composition_plan: plan, model_id: modelId });
}

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

    await composesAsReturned(result.structuredContent.composition_plan, 'music_v2');
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

    await composesAsReturned(result.structuredContent.composition_plan, 'music_v1');
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
