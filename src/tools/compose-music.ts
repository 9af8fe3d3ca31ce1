import { z } from 'zod';
import { DEFAULT_FORMAT, formatInfo, MUSIC_FORMATS } from '../audio/formats.js';
import { InvalidArgumentsError } from '../errors/index.js';
import { compact } from '../toolkit/compact.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { inpaintingRefused, musicAudio, musicAudioShape } from '../toolkit/music-call.js';
import {
  checkPlanLength,
  compositionPlanSchema,
  formatMs,
  modelForPlan,
  musicLengthField,
  musicModelField,
  musicPromptField,
  planDurationMs,
  usesStoredSongs,
} from '../toolkit/music-plan.js';
import { planParts } from '../toolkit/music-plan-text.js';
import { toSdkPlan } from '../toolkit/music-plan-sdk.js';
import { formatBytes } from '../bytes.js';
import { GENERATES_AUDIO, generationResult, includeAudioField } from '../toolkit/results.js';

const input = z
  .object({
    prompt: musicPromptField
      .optional()
      .describe(
        'Genre, mood, instruments, tempo, vocals or lyrics, use. Not with composition_plan. Naming artists or ' +
          'copyrighted songs is refused.',
      ),
    composition_plan: compositionPlanSchema
      .optional()
      .describe(
        'A plan instead of prompt, usually from create_composition_plan (edit as needed): {positive_global_styles, ' +
          'negative_global_styles, sections[]} for music_v1, ' +
          'or {chunks[]} for music_v2 and music_v2_5. The song is as long as its parts.',
      ),
    music_length_ms: musicLengthField
      .optional()
      .describe('Song length in ms (at most 10 minutes); only with prompt. Omit to let the model choose.'),
    model_id: musicModelField
      .optional()
      .describe(
        'music_v2 (default for a prompt or chunks plan), music_v2_5 (newest), or music_v1 (deprecated; the only one, ' +
          'and the default, for a sections plan).',
      ),
    force_instrumental: z.boolean().optional().describe('No vocals, guaranteed; only with prompt.'),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2_147_483_647)
      .optional()
      .describe('For more repeatable results; only with composition_plan.'),
    store_for_inpainting: z
      .boolean()
      .optional()
      .describe(
        'Enterprise inpainting only: also store the song at ElevenLabs and return its song_id, to reuse parts in a ' +
          'later composition_plan.',
      ),
    output_format: z
      .enum(MUSIC_FORMATS)
      .default(DEFAULT_FORMAT)
      .describe(
        'codec_samplerate[_bitrate]. ElevenLabs picks mp3_48000_192 for music_v2 models; 192 kbps MP3 needs Creator ' +
          'tier, 44.1 kHz PCM Pro.',
      ),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...musicAudioShape,
  source: z.enum(['prompt', 'composition_plan']),
  duration_ms: z
    .number()
    .int()
    .nullable()
    .describe(
      "The song's planned length (music_length_ms or the plan's parts together); null when the model chose it.",
    ),
  song_id: z
    .string()
    .nullable()
    .describe("With store_for_inpainting: the stored song's id, for song_id in a later composition_plan."),
});

export default defineTool({
  title: 'Compose music',
  description:
    'Generate a song or instrumental from a prompt or a composition plan (create_composition_plan drafts one free), ' +
    'store it, return a download link (resource_link, structuredContent.url) and an audio_id. ' +
    'Long songs can take a minute or more. ' +
    COST_NOTE +
    ' Music is one of the most expensive ElevenLabs operations, billed by song length: prefer short songs unless the ' +
    'user asked for a long one.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['music'],
  async handler(args, ctx) {
    const prompt = args.prompt || undefined;
    const plan = args.composition_plan;
    if (!prompt && !plan)
      throw new InvalidArgumentsError(
        'Give prompt (a description of the music) or composition_plan (e.g. from create_composition_plan).',
      );
    if (prompt && plan)
      throw new InvalidArgumentsError(
        'Give prompt or composition_plan, not both: a plan already says what to generate.',
      );
    if (plan) {
      if (args.music_length_ms !== undefined)
        throw new InvalidArgumentsError(
          'music_length_ms works only with prompt; a composition_plan is as long as its parts together.',
        );
      if (args.force_instrumental)
        throw new InvalidArgumentsError(
          'force_instrumental works only with prompt; for an instrumental plan, leave the lyrics empty.',
        );
      checkPlanLength(plan, 'composition_plan');
    } else if (args.seed !== undefined) {
      throw new InvalidArgumentsError('seed works only with composition_plan, not with prompt.');
    }
    const modelId = modelForPlan(plan, args.model_id, 'composition_plan');

    const request = compact({
      outputFormat: args.output_format,
      prompt,
      compositionPlan: plan && toSdkPlan(plan),
      musicLengthMs: args.music_length_ms,
      modelId,
      seed: args.seed,
      forceInstrumental: prompt ? args.force_instrumental : undefined,
      storeForInpainting: args.store_for_inpainting,
    });
    const inpainting = args.store_for_inpainting === true || (plan !== undefined && usesStoredSongs(plan));
    const { bytes, headers } = await musicAudio(
      ctx,
      (client) => client.music.compose(request).withRawResponse(),
      (refusal) => (inpainting && refusal.status === 403 ? inpaintingRefused(refusal, 'this composition') : undefined),
    );

    const durationMs = plan ? planDurationMs(plan) : args.music_length_ms;
    const songId = headers.get('song-id') || undefined;
    const saved = await ctx.audio().save({
      bytes,
      format: args.output_format,
      kind: 'music',
      metadata: { 'model-id': modelId, 'duration-ms': durationMs, 'song-id': songId },
    });

    const from = plan ? `a composition plan (${planParts(plan)})` : 'a prompt';
    const length = durationMs === undefined ? '' : `, ${formatMs(durationMs)} long`;
    const stored = songId ? ` Stored for inpainting as song_id ${songId}.` : '';
    const summary =
      `Composed music from ${from}${length} with ${modelId}: ${formatInfo(args.output_format).label}, ` +
      `${formatBytes(saved.bytes)}.${stored}`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      model_id: modelId,
      source: plan ? 'composition_plan' : 'prompt',
      duration_ms: durationMs ?? null,
      song_id: songId ?? null,
    });
  },
});
