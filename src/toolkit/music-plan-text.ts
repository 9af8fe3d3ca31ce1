import { type CompositionPlan, formatMs, isChunksPlan, type Range } from './music-plan.js';

/** A composition plan as the model reads it in a result: its parts counted, one line per part. */

/** How many parts the plan has, for summaries: `4 chunks`, `3 sections`. */
export function planParts(plan: CompositionPlan): string {
  return isChunksPlan(plan) ? `${plan.chunks.length} chunks` : `${plan.sections.length} sections`;
}

/** One line per part with its length and styles, for the model to read (the plan itself is in structuredContent). */
export function planLines(plan: CompositionPlan): string[] {
  if (isChunksPlan(plan)) {
    return plan.chunks.map((chunk, i) => {
      if ('song_id' in chunk)
        return (
          `${i + 1}. kept from song ${chunk.song_id}, ${formatRange(chunk.range)} ` +
          `(${formatMs(chunk.range.end_ms - chunk.range.start_ms)})`
        );
      const heading = /^\s*\[([^\]\n]{1,100})\]/.exec(chunk.text)?.[1];
      const lyrics = chunk.text
        .split('\n')
        .filter((line) => line.trim() !== '' && !/^\s*\[[^\]]*\]\s*$/.test(line)).length;
      return (
        `${i + 1}. ${heading ?? 'chunk'} (${formatMs(chunk.duration_ms)}): ` +
        `${styleText(chunk.positive_styles, chunk.negative_styles)}; ${lyricText(lyrics)}` +
        (chunk.conditioning_ref
          ? `; conditioned on song ${chunk.conditioning_ref.song_id}, ${formatRange(chunk.conditioning_ref.range)}`
          : '')
      );
    });
  }
  return [
    `Global styles: ${styleText(plan.positive_global_styles, plan.negative_global_styles)}`,
    ...plan.sections.map(
      (s, i) =>
        `${i + 1}. ${s.section_name} (${formatMs(s.duration_ms)}): ` +
        `${styleText(s.positive_local_styles, s.negative_local_styles)}; ${lyricText(s.lines.length)}` +
        (s.source_from ? `; taken from song ${s.source_from.song_id}, ${formatRange(s.source_from.range)}` : ''),
    ),
  ];
}

function styleText(positive: readonly string[], negative: readonly string[] = []): string {
  return `${positive.join(', ') || 'no styles'}${negative.length ? `; avoid ${negative.join(', ')}` : ''}`;
}

function lyricText(lines: number): string {
  return lines ? `${lines} lyric line${lines === 1 ? '' : 's'}` : 'instrumental';
}

function formatRange(range: Range): string {
  return `${formatMs(range.start_ms)}-${formatMs(range.end_ms)}`;
}
