import { z } from 'zod';
import { fileInputShape, resolveInput } from '../audio/inputs.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { compact } from '../toolkit/compact.js';
import { COST_NOTE, defineTool, listedAsObject } from '../toolkit/define-tool.js';
import { uploadable } from '../toolkit/generated-audio.js';
import { inpaintingRefused, musicCall } from '../toolkit/music-call.js';
import { compositionPlanSchema, DEFAULT_MUSIC_MODEL, formatMs, fromSdkPlan, isChunksPlan, musicModelField, planDurationMs, planLines } from '../toolkit/music-plan.js';
import { formatBytes } from '../bytes.js';
import { dataResult } from '../toolkit/results.js';

const input = z
  .object({
    ...fileInputShape({ noun: 'audio file', maxBytes: MAX_UPLOAD_BYTES }),
    extract_composition_plan: z
      .union([musicModelField, z.null(), z.literal(false)])
      .default(DEFAULT_MUSIC_MODEL)
      .describe(
        'Also return the song\'s composition plan, in this model\'s format (music_v2, the default as in the official server, and music_v2_5: chunks; music_v1: sections), to edit and pass to compose_music. ' +
          'null or false: no plan, which makes the call faster.',
      ),
    with_timestamps: z.boolean().optional().describe('Also transcribe the lyrics with word timings, to find the ranges to keep or regenerate. Makes the call slower.'),
  })
  .strict();

const output = z.object({
  song_id: z.string().describe('The stored song, for song_id in a composition_plan (source_from of a section, or an audio reference chunk).'),
  composition_plan: listedAsObject(compositionPlanSchema.clone()).nullable().describe('The extracted plan; null when extract_composition_plan was null or false.'),
  words_timestamps: z
    .array(z.object({ word: z.string(), start_ms: z.number(), end_ms: z.number() }))
    .nullable()
    .describe('Lyrics with timings, when with_timestamps was set.'),
  file: z.object({ filename: z.string(), mime_type: z.string(), bytes: z.number().int() }).describe('The file uploaded.'),
});

export default defineTool({
  title: 'Upload a song for inpainting',
  description:
    'Upload an existing song to ElevenLabs for music inpainting (keeping, regenerating or restyling parts of it with compose_music) and return its song_id, optionally with its composition plan. ' +
    'Only for enterprise plans with the inpainting feature; other accounts are refused. ' +
    COST_NOTE +
    ' An upload costs as much as generating a song of that length; ElevenLabs checks it for copyrighted content and still charges half the cost when it finds some.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['music'],
  async handler(args, ctx) {
    const file = await resolveInput(args, ctx, { allowedTypes: ['audio/*'], maxBytes: MAX_UPLOAD_BYTES, purpose: 'upload_music_for_inpainting' });

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
      (refusal) => (refusal.status === 403 || (refusal.status === 402 && refusal.code !== 'quota_exceeded') ? inpaintingRefused(refusal, 'the upload') : undefined),
    );
    const plan = uploaded.compositionPlan ? fromSdkPlan(uploaded.compositionPlan) : null;
    const words = uploaded.wordsTimestamps?.map((w) => ({ word: w.word, start_ms: w.startMs, end_ms: w.endMs })) ?? null;

    const lines = [
      `Uploaded ${file.filename} (${formatBytes(file.bytes.byteLength)}) for inpainting: song_id ${uploaded.songId}.`,
      ...(plan
        ? [`Its composition plan (${isChunksPlan(plan) ? `${plan.chunks.length} chunks` : `${plan.sections.length} sections`}, ${formatMs(planDurationMs(plan))}):`, ...planLines(plan), JSON.stringify(plan)]
        : []),
      ...(words ? [`${words.length} words with timings are in structuredContent.words_timestamps.`] : []),
      'Reuse parts of it in a composition_plan for compose_music: a chunk {song_id, range} (music_v2) or a section\'s source_from (music_v1).',
    ];
    return dataResult(lines.join('\n'), {
      song_id: uploaded.songId,
      composition_plan: plan,
      words_timestamps: words,
      file: { filename: file.filename, mime_type: file.mimeType, bytes: file.bytes.byteLength },
    });
  },
});
