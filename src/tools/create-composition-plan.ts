import { z } from 'zod';
import { compact } from '../toolkit/compact.js';
import { defineTool, listedAsObject } from '../toolkit/define-tool.js';
import { musicCall } from '../toolkit/music-call.js';
import {
  checkPlanLength,
  compositionPlanSchema,
  formatMs,
  isChunksPlan,
  modelForPlan,
  musicLengthField,
  musicModelField,
  musicPromptField,
  planDurationMs,
} from '../toolkit/music-plan.js';
import { planLines, planParts } from '../toolkit/music-plan-text.js';
import { fromSdkPlan, toSdkPlan } from '../toolkit/music-plan-sdk.js';
import { dataResult } from '../toolkit/results.js';

const input = z
  .object({
    prompt: musicPromptField
      .min(1, 'prompt must describe the music')
      .describe(
        'Genre, mood, instruments, tempo, structure, lyrics or theme. With source_composition_plan: how to change it.',
      ),
    music_length_ms: musicLengthField
      .optional()
      .describe('Song length in ms (at most 10 minutes). Omit to let the model choose.'),
    source_composition_plan: listedAsObject(compositionPlanSchema.clone())
      .optional()
      .describe("A plan to base the new one on, as returned earlier (compose_music's composition_plan shape)."),
    model_id: musicModelField
      .optional()
      .describe(
        'Decides the format: music_v2 (default) and music_v2_5 plans have chunks; music_v1 (deprecated) ones ' +
          "sections. With source_composition_plan, the default fits that plan's format.",
      ),
  })
  .strict();

const output = z.object({
  composition_plan: listedAsObject(
    compositionPlanSchema.describe(
      'The plan, ready to pass as composition_plan to compose_music (edit it first if needed).',
    ),
  ),
  plan_format: z.enum(['sections', 'chunks']).describe('sections: for music_v1; chunks: for music_v2 and music_v2_5.'),
  model_id: z.string().describe('The model the plan was made for.'),
  duration_ms: z.number().int().describe("The parts' lengths together."),
});

export default defineTool({
  title: 'Create a music composition plan',
  description:
    "Draft a song's composition plan from a prompt (sections or chunks with lengths, styles, lyrics) in " +
    'structuredContent.composition_plan, to review, edit and pass to compose_music. ' +
    'Free: it costs no credits, but ElevenLabs rate-limits it by plan tier. Nothing is generated or stored.',
  input,
  output,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['music'],
  async handler(args, ctx) {
    const source = args.source_composition_plan;
    if (source) checkPlanLength(source, 'source_composition_plan');
    const modelId = modelForPlan(source, args.model_id, 'source_composition_plan');

    const created = await musicCall(ctx, (client) =>
      client.music.compositionPlan.create(
        compact({
          prompt: args.prompt,
          musicLengthMs: args.music_length_ms,
          sourceCompositionPlan: source && toSdkPlan(source),
          modelId,
        }),
      ),
    );
    const plan = fromSdkPlan(created);
    const format = isChunksPlan(plan) ? 'chunks' : 'sections';
    const durationMs = planDurationMs(plan);
    const text = [
      `Composition plan for ${modelId}: ${planParts(plan)}, ${formatMs(durationMs)} in all.`,
      ...planLines(plan),
      `To generate it (costs credits), call compose_music with this composition_plan and model_id ${modelId}:`,
      JSON.stringify(plan),
    ].join('\n');
    return dataResult(text, {
      composition_plan: plan,
      plan_format: format,
      model_id: modelId,
      duration_ms: durationMs,
    });
  },
});
