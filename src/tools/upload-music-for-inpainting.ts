import { z } from 'zod';
import { fileInputShape, resolveInput } from '../audio/inputs.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { compact } from '../toolkit/compact.js';
import { COST_NOTE, defineTool, listedAsObject } from '../toolkit/define-tool.js';
import { uploadable } from '../toolkit/generated-audio.js';
import { inpaintingRefused, musicCall } from '../toolkit/music-call.js';
import {
  compositionPlanSchema,
  DEFAULT_MUSIC_MODEL,
  formatMs,
  musicModelField,
  planDurationMs,
} from '../toolkit/music-plan.js';
import { planLines, planParts } from '../toolkit/music-plan-text.js';
import { fromSdkPlan } from '../toolkit/music-plan-sdk.js';
import { formatBytes } from '../bytes.js';
import { dataResult, inputFileFields, inputFileShape } from '../toolkit/results.js';

const input = z
  .object({
    ...fileInputShape({ noun: 'audio file', maxBytes: MAX_UPLOAD_BYTES }),
    extract_composition_plan: z
      .union([musicModelField, z.null(), z.literal(false)])
      .default(DEFAULT_MUSIC_MODEL)
      .describe(
        "Also return the song's composition plan in this model's format (music_v2, default, and music_v2_5: chunks; " +
          'music_v1: sections), to edit for compose_music. ' +
          'null or false: none, faster.',
      ),
    with_timestamps: z
      .boolean()
      .optional()
      .describe('Also return lyrics with word timings, to find ranges to keep or regenerate. Slower.'),
  })
  .strict();

const output = z.object({
  song_id: z
    .string()
    .describe(
      'The stored song, for song_id in a composition_plan (source_from of a section, or an audio reference chunk).',
    ),
  composition_plan: listedAsObject(compositionPlanSchema.clone())
    .nullable()
    .describe('The extracted plan; null when extract_composition_plan was null or false.'),
  words_timestamps: z
    .array(z.object({ word: z.string(), start_ms: z.number(), end_ms: z.number() }))
    .nullable()
    .describe('Lyrics with timings, when with_timestamps was set.'),
  file: inputFileShape.describe('The file uploaded.'),
});

export default defineTool({
  title: 'Upload a song for inpainting',
  description:
    'Upload a song to ElevenLabs for inpainting (keep, regenerate or restyle parts with compose_music); returns its ' +
    'song_id and optionally its composition plan. ' +
    'Enterprise plans with inpainting only; others are refused. ' +
    COST_NOTE +
    ' Costs as much as generating a song that long; ElevenLabs checks for copyrighted content and still charges half ' +
    'the cost when it finds some.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['music'],
  async handler(args, ctx) {
    const file = await resolveInput(args, ctx, {
      allowedTypes: ['audio/*'],
      maxBytes: MAX_UPLOAD_BYTES,
      purpose: 'upload_music_for_inpainting',
    });

    const uploaded = await musicCall(
      ctx,
      (client) =>
        client.music.upload(
          compact({
            file: uploadable(file),
            extractCompositionPlan: args.extract_composition_plan || undefined,
            withTimestamps: args.with_timestamps,
          }),
        ),
      // ElevenLabs answers accounts without inpainting with a refusal (403), or a 402 for plans without music.
      (refusal) =>
        refusal.status === 403 || (refusal.status === 402 && refusal.code !== 'quota_exceeded')
          ? inpaintingRefused(refusal, 'the upload')
          : undefined,
    );
    const plan = uploaded.compositionPlan ? fromSdkPlan(uploaded.compositionPlan) : null;
    const words =
      uploaded.wordsTimestamps?.map((w) => ({ word: w.word, start_ms: w.startMs, end_ms: w.endMs })) ?? null;

    const lines = [
      `Uploaded ${file.filename} (${formatBytes(file.bytes.byteLength)}) for inpainting: song_id ${uploaded.songId}.`,
      ...(plan
        ? [
            `Its composition plan (${planParts(plan)}, ${formatMs(planDurationMs(plan))}):`,
            ...planLines(plan),
            JSON.stringify(plan),
          ]
        : []),
      ...(words ? [`${words.length} words with timings are in structuredContent.words_timestamps.`] : []),
      "Reuse parts of it in a composition_plan for compose_music: a chunk {song_id, range} (music_v2) or a section's " +
        'source_from (music_v1).',
    ];
    return dataResult(lines.join('\n'), {
      song_id: uploaded.songId,
      composition_plan: plan,
      words_timestamps: words,
      file: inputFileFields(file),
    });
  },
});
