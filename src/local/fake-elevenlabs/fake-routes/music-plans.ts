/**
 * Composition plans of Eleven Music, as the fake drafts them (POST /v1/music/plan, and the plan an upload
 * extracts) and checks them (POST /v1/music and /v1/music/plan): sections for music_v1, chunks for music_v2
 * and music_v2_5, parts of 3 s to 2 min, lines and styles as the API documents them.
 */

/** The model of a request that names none: ElevenLabs' music reference says "Defaults to music_v1". */
export const DEFAULT_MODEL = 'music_v1';

/** A plan for `model` of `totalMs`: sections for music_v1, chunks otherwise; at most three parts of at least 3 s. */
export function draftPlan(prompt: string, totalMs: number, model: string): Record<string, unknown> {
  const count = Math.max(1, Math.min(3, Math.floor(totalMs / 3_000)));
  const names = ['Intro', 'Verse', 'Chorus'].slice(0, count);
  const durations = names.map((_, i) =>
    i < count - 1 ? Math.floor(totalMs / count) : totalMs - Math.floor(totalMs / count) * (count - 1),
  );
  const words = prompt
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 3)
    .slice(0, 4);
  if (model === 'music_v1') {
    return {
      positive_global_styles: words,
      negative_global_styles: ['distorted'],
      sections: names.map((name, i) => ({
        section_name: name,
        positive_local_styles: [`${name.toLowerCase()} energy`],
        negative_local_styles: [],
        duration_ms: durations[i],
        lines: name === 'Intro' ? [] : [`A line about ${words[0] ?? 'music'}`],
        source_from: null,
      })),
    };
  }
  return {
    chunks: names.map((name, i) => ({
      text: name === 'Intro' ? `[${name}]` : `[${name}]\nA line about ${words[0] ?? 'music'}`,
      duration_ms: durations[i],
      positive_styles: i === 0 ? words : [`${name.toLowerCase()} energy`],
      negative_styles: [],
      context_adherence: 'high',
    })),
  };
}

/** What the API would refuse in a composition plan for `model`, as a FastAPI location and message. */
export function planProblem(plan: unknown, model: string): { at: Array<string | number>; msg: string } | undefined {
  if (!isRecord(plan)) return { at: [], msg: 'value is not a valid dict' };
  if (Array.isArray(plan.sections)) {
    if (model !== 'music_v1')
      return {
        at: [],
        msg: `Composition plan for the music_v1 model. Using this field with ${model} will result in an error.`,
      };
    for (const field of ['positive_global_styles', 'negative_global_styles'])
      if (!isStrings(plan[field])) return { at: [field], msg: 'field required' };
    for (const [i, section] of plan.sections.entries()) {
      if (
        !isRecord(section) ||
        typeof section.section_name !== 'string' ||
        section.section_name.length < 1 ||
        section.section_name.length > 100
      )
        return { at: ['sections', i, 'section_name'], msg: 'field required' };
      for (const field of ['positive_local_styles', 'negative_local_styles', 'lines'])
        if (!isStrings(section[field])) return { at: ['sections', i, field], msg: 'field required' };
      if (!isIntIn(section.duration_ms, 3_000, 120_000))
        return { at: ['sections', i, 'duration_ms'], msg: 'Must be between 3000ms and 120000ms' };
      const lines = section.lines as string[];
      if (lines.length > 30 || lines.some((l) => l.length > 200))
        return { at: ['sections', i, 'lines'], msg: 'Max 30 lines per section and max 200 characters per line' };
      if (section.source_from !== undefined && section.source_from !== null && !isAudioRef(section.source_from))
        return { at: ['sections', i, 'source_from'], msg: 'invalid source' };
    }
    return plan.sections.length ? undefined : { at: ['sections'], msg: 'ensure this value has at least 1 items' };
  }
  if (Array.isArray(plan.chunks)) {
    if (model === 'music_v1')
      return {
        at: [],
        msg:
          'Composition plan for the music_v2 and music_v2_5 models. Using this field with music_v1 will result in ' +
          'an error.',
      };
    for (const [i, chunk] of plan.chunks.entries()) {
      if (isAudioRef(chunk) && !('text' in chunk)) continue;
      if (!isRecord(chunk) || typeof chunk.text !== 'string')
        return { at: ['chunks', i, 'text'], msg: 'field required' };
      if (!isIntIn(chunk.duration_ms, 3_000, 120_000))
        return { at: ['chunks', i, 'duration_ms'], msg: 'Must be between 3000ms and 120000ms' };
      if (!isStrings(chunk.positive_styles)) return { at: ['chunks', i, 'positive_styles'], msg: 'field required' };
      if (chunk.negative_styles !== undefined && !isStrings(chunk.negative_styles))
        return { at: ['chunks', i, 'negative_styles'], msg: 'value is not a valid list' };
      if (chunk.context_adherence !== undefined && !['low', 'medium', 'high'].includes(String(chunk.context_adherence)))
        return { at: ['chunks', i, 'context_adherence'], msg: 'value is not a valid enumeration member' };
      if (chunk.conditioning_ref !== undefined && !isAudioRef(chunk.conditioning_ref))
        return { at: ['chunks', i, 'conditioning_ref'], msg: 'invalid audio reference' };
    }
    return plan.chunks.length ? undefined : { at: ['chunks'], msg: 'ensure this value has at least 1 items' };
  }
  return { at: [], msg: 'value is not a valid composition plan' };
}

/** A reference to a stretch of a stored song: `{ song_id, range: { start_ms, end_ms } }`. */
function isAudioRef(value: unknown): value is { song_id: string; range: { start_ms: number; end_ms: number } } {
  return (
    isRecord(value) &&
    typeof value.song_id === 'string' &&
    isRecord(value.range) &&
    isIntIn(value.range.start_ms, 0, Infinity) &&
    isIntIn(value.range.end_ms, 1, Infinity)
  );
}

/** A JSON object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An array of strings. */
function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** An integer from `min` to `max`. */
export function isIntIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
