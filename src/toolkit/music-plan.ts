import { z } from 'zod';
import { InvalidArgumentsError } from '../errors/index.js';

/**
 * Music composition plans in the two shapes ElevenLabs takes, snake_case as on the wire: sections with
 * global styles for `music_v1` (the SDK's MusicPrompt) and an ordered list of chunks for `music_v2` and
 * `music_v2_5` (the SDK's CompositionPlan) and their checks. How a plan reads in a result is in
 * music-plan-text.ts; the conversions to and from the SDK's camelCase types are in music-plan-sdk.ts.
 */

export const MUSIC_MODELS = ['music_v1', 'music_v2', 'music_v2_5'] as const;
export type MusicModel = (typeof MUSIC_MODELS)[number];

export const musicModelField = z.enum(MUSIC_MODELS);

/**
 * The model the music tools send when none is given, always explicitly: without one ElevenLabs uses
 * music_v1, which SDK 2.73 marks deprecated. music_v2 is the official server's default.
 */
export const DEFAULT_MUSIC_MODEL = 'music_v2' satisfies MusicModel;

/** The longest prompt ElevenLabs takes for music, in characters. */
export const MAX_MUSIC_PROMPT_CHARACTERS = 4_100;
/** A music prompt as ElevenLabs takes it: trimmed, at most 4,100 characters. */
export const musicPromptField = z.string().trim().max(MAX_MUSIC_PROMPT_CHARACTERS);

/** The song length ElevenLabs accepts for `music_length_ms`: 3 s to 10 min. */
export const MIN_MUSIC_MS = 3_000;
export const MAX_MUSIC_MS = 600_000;

export const musicLengthField = z
  .number()
  .int()
  .min(MIN_MUSIC_MS, `music_length_ms must be at least ${MIN_MUSIC_MS} (3 seconds)`)
  .max(MAX_MUSIC_MS, `music_length_ms must be at most ${MAX_MUSIC_MS} (10 minutes)`);

const partDuration = z
  .number()
  .int()
  .min(3_000, 'duration_ms must be at least 3000')
  .max(120_000, 'duration_ms must be at most 120000')
  .describe('Length in milliseconds.');

const styles = z.array(z.string());

export const songIdField = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,100}$/,
    'must be a song_id from upload_music_for_inpainting or compose_music (store_for_inpainting)',
  );

const offset = z.number().int().min(0).max(MAX_MUSIC_MS);
const timeRange = z
  .object({ start_ms: offset, end_ms: offset })
  .strict()
  .refine((range) => range.end_ms > range.start_ms, 'end_ms must be after start_ms');

/**
 * A slice of a stored song: a song_id from upload_music_for_inpainting or compose_music (store_for_inpainting),
 * range in ms from its start.
 */
const audioRef = { song_id: songIdField, range: timeRange };

const section = z
  .object({
    section_name: z.string().trim().min(1).max(100).describe('e.g. Intro, Verse 1, Chorus.'),
    positive_local_styles: styles.describe('Styles for this section, in English.'),
    negative_local_styles: styles.default([]).describe('Styles to avoid here.'),
    duration_ms: partDuration,
    lines: z.array(z.string().max(200)).max(30).default([]).describe('Lyric lines; empty for an instrumental section.'),
    source_from: z
      .object({ ...audioRef, negative_ranges: z.array(timeRange).optional().describe('Parts of range to regenerate.') })
      .strict()
      .optional()
      .describe(
        "Inpainting (enterprise): take this section from a stored song's slice (song_id from " +
          'upload_music_for_inpainting or compose_music).',
      ),
  })
  .strict();

const sectionsPlan = z
  .object({
    positive_global_styles: styles.describe(
      'Styles for the whole song, in English (genre, mood, instruments, tempo, vocals).',
    ),
    negative_global_styles: styles.default([]).describe('Styles to avoid.'),
    sections: z.array(section).min(1).describe('In order.'),
  })
  .strict()
  .describe('music_v1 plan.');

const audioRefChunk = z
  .object(audioRef)
  .strict()
  .describe(
    "Keeps a stored song's slice unchanged (inpainting, enterprise): song_id from upload_music_for_inpainting or " +
      'compose_music, range in ms.',
  );

const generationChunk = z
  .object({
    text: z
      .string()
      .max(7_000)
      .describe(
        'Optional [Section name], then lyric lines (at most 30 of 200 characters), directions in braces, e.g. ' +
          '{guitar solo}.',
      ),
    duration_ms: partDuration,
    positive_styles: styles.describe(
      'In English. The first chunk sets genre and tone: give it 6 or 7; later ones add progression.',
    ),
    negative_styles: styles.optional().describe('Styles to avoid; usually empty.'),
    context_adherence: z
      .enum(['low', 'medium', 'high'])
      .optional()
      .describe('How closely it follows the chunks around it; low is more creative.'),
    conditioning_ref: z
      .object(audioRef)
      .strict()
      .optional()
      .describe("A stored song's slice to condition on (enterprise)."),
    condition_strength: z
      .enum(['low', 'medium', 'high', 'xhigh'])
      .optional()
      .describe('How strongly conditioning_ref steers it.'),
  })
  .strict()
  .describe('Generates new audio.');

const chunksPlan = z
  .object({
    chunks: z
      .array(
        pickUnion(
          generationChunk,
          audioRefChunk,
          (input) => 'song_id' in input && !('text' in input),
          'a chunk is either {text, duration_ms, positive_styles, ...} or {song_id, range}',
        ),
      )
      .min(1)
      .describe('In order.'),
  })
  .strict()
  .describe('music_v2 / music_v2_5 plan.');

/** A composition plan in either shape, as create_composition_plan returns it. */
export const compositionPlanSchema = pickUnion(
  sectionsPlan,
  chunksPlan,
  (input) => 'chunks' in input,
  'a composition plan is either {positive_global_styles, negative_global_styles, sections} for music_v1 or {chunks} ' +
    'for music_v2 and music_v2_5',
);

export type SectionsPlan = z.output<typeof sectionsPlan>;
export type ChunksPlan = z.output<typeof chunksPlan>;
export type CompositionPlan = SectionsPlan | ChunksPlan;
export type Range = z.output<typeof timeRange>;
export type AudioRef = z.output<typeof audioRefChunk>;

export function isChunksPlan(plan: CompositionPlan): plan is ChunksPlan {
  return 'chunks' in plan;
}

/**
 * A union whose failure names the problems of the shape the input was aiming at (chosen by `isSecond`)
 * rather than zod's bare "Invalid input".
 */
function pickUnion<A extends z.ZodType, B extends z.ZodType>(
  first: A,
  second: B,
  isSecond: (input: object) => boolean,
  shapes: string,
) {
  return z.union([first, second], {
    error: (issue) => {
      if (issue.code !== 'invalid_union') return undefined;
      const input = issue.input;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) return `expected an object: ${shapes}`;
      const branches = (issue as { errors?: Array<Array<{ path: PropertyKey[]; message: string }>> }).errors ?? [];
      const problems = (branches[isSecond(input) ? 1 : 0] ?? []).slice(0, 4);
      const described = problems.map((p) =>
        p.path.length ? `${p.path.map(String).join('.')}: ${p.message}` : p.message,
      );
      return `${described.join('; ')} (${shapes})`;
    },
  });
}

/**
 * The model to send with a plan (`field` names it in messages). Each shape works with its own models only,
 * so a mismatch is refused here; without a model_id, a sections plan goes to music_v1 (the only model that
 * takes it) and a chunks plan to music_v2. Without a plan: model_id, else DEFAULT_MUSIC_MODEL.
 */
export function modelForPlan(
  plan: CompositionPlan | undefined,
  modelId: MusicModel | undefined,
  field: string,
): MusicModel {
  if (plan === undefined) return modelId ?? DEFAULT_MUSIC_MODEL;
  if (isChunksPlan(plan)) {
    if (modelId === 'music_v1') {
      throw new InvalidArgumentsError(
        `${field} has chunks, the plan format of music_v2 and music_v2_5; music_v1 takes sections with global ` +
          `styles. Omit model_id or use music_v2 or music_v2_5.`,
      );
    }
    return modelId ?? 'music_v2';
  }
  if (modelId !== undefined && modelId !== 'music_v1') {
    throw new InvalidArgumentsError(
      `${field} has sections with global styles, the plan format of music_v1 only; ${modelId} takes a plan of ` +
        `chunks. Omit model_id (music_v1 is used), or make a ${modelId} plan with create_composition_plan.`,
    );
  }
  return 'music_v1';
}

/** Whether the plan reuses stored songs (inpainting). */
export function usesStoredSongs(plan: CompositionPlan): boolean {
  return isChunksPlan(plan)
    ? plan.chunks.some((chunk) => 'song_id' in chunk || chunk.conditioning_ref !== undefined)
    : plan.sections.some((s) => s.source_from !== undefined);
}

export function planDurationMs(plan: CompositionPlan): number {
  const parts = isChunksPlan(plan)
    ? plan.chunks.map((c) => ('song_id' in c ? c.range.end_ms - c.range.start_ms : c.duration_ms))
    : plan.sections.map((s) => s.duration_ms);
  return parts.reduce((sum, ms) => sum + ms, 0);
}

/** Refuses a plan longer than a song can be, before anything is billed. */
export function checkPlanLength(plan: CompositionPlan, field: string): void {
  const total = planDurationMs(plan);
  if (total > MAX_MUSIC_MS) {
    throw new InvalidArgumentsError(
      `${field} adds up to ${formatMs(total)}; a song can be at most ${formatMs(MAX_MUSIC_MS)}. Shorten or remove ` +
        `parts.`,
    );
  }
}

/** m:ss */
export function formatMs(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
