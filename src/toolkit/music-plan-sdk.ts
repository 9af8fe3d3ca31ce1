import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { UpstreamUnavailableError } from '../errors/index.js';
import { compact } from './compact.js';
import { isChunksPlan, type AudioRef, type CompositionPlan, type Range } from './music-plan.js';

/** Composition plans between our snake_case schemas (music-plan.ts) and the SDK's camelCase types. */

/** A plan as the SDK sends it: a MusicPrompt for sections, a CompositionPlan for chunks. */
export function toSdkPlan(plan: CompositionPlan): ElevenLabs.MusicPrompt | ElevenLabs.CompositionPlan {
  if (isChunksPlan(plan)) {
    return {
      chunks: plan.chunks.map((chunk) =>
        'song_id' in chunk
          ? toSdkRef(chunk)
          : compact({
              text: chunk.text,
              durationMs: chunk.duration_ms,
              positiveStyles: chunk.positive_styles,
              negativeStyles: chunk.negative_styles,
              contextAdherence: chunk.context_adherence,
              conditioningRef: chunk.conditioning_ref && toSdkRef(chunk.conditioning_ref),
              conditionStrength: chunk.condition_strength,
            }),
      ),
    };
  }
  return {
    positiveGlobalStyles: plan.positive_global_styles,
    negativeGlobalStyles: plan.negative_global_styles,
    sections: plan.sections.map((s) =>
      compact({
        sectionName: s.section_name,
        positiveLocalStyles: s.positive_local_styles,
        negativeLocalStyles: s.negative_local_styles,
        durationMs: s.duration_ms,
        lines: s.lines,
        sourceFrom:
          s.source_from &&
          compact({ ...toSdkRef(s.source_from), negativeRanges: s.source_from.negative_ranges?.map(toSdkRange) }),
      }),
    ),
  };
}

/** A plan ElevenLabs returned (camelCase from the SDK), in the snake_case shape our schemas declare. */
export function fromSdkPlan(plan: ElevenLabs.MusicPrompt | ElevenLabs.CompositionPlan): CompositionPlan {
  if ('chunks' in plan && Array.isArray(plan.chunks)) {
    return {
      chunks: plan.chunks.map((chunk) =>
        'text' in chunk
          ? compact({
              text: chunk.text,
              duration_ms: chunk.durationMs,
              positive_styles: chunk.positiveStyles ?? [],
              negative_styles: chunk.negativeStyles ?? undefined,
              context_adherence: chunk.contextAdherence ?? undefined,
              conditioning_ref: chunk.conditioningRef ? fromSdkRef(chunk.conditioningRef) : undefined,
              condition_strength: chunk.conditionStrength ?? undefined,
            })
          : fromSdkRef(chunk),
      ),
    };
  }
  if ('sections' in plan && Array.isArray(plan.sections)) {
    return {
      positive_global_styles: plan.positiveGlobalStyles ?? [],
      negative_global_styles: plan.negativeGlobalStyles ?? [],
      sections: plan.sections.map((s) =>
        compact({
          section_name: s.sectionName,
          positive_local_styles: s.positiveLocalStyles ?? [],
          negative_local_styles: s.negativeLocalStyles ?? [],
          duration_ms: s.durationMs,
          lines: s.lines ?? [],
          source_from: s.sourceFrom
            ? compact({ ...fromSdkRef(s.sourceFrom), negative_ranges: s.sourceFrom.negativeRanges?.map(fromSdkRange) })
            : undefined,
        }),
      ),
    };
  }
  throw new UpstreamUnavailableError('it answered with a composition plan in a shape this server does not know');
}

function toSdkRange(range: Range): ElevenLabs.TimeRange {
  return { startMs: range.start_ms, endMs: range.end_ms };
}

function fromSdkRange(range: ElevenLabs.TimeRange): Range {
  return { start_ms: range.startMs, end_ms: range.endMs };
}

function toSdkRef(ref: AudioRef): ElevenLabs.AudioRefChunk {
  return { songId: ref.song_id, range: toSdkRange(ref.range) };
}

function fromSdkRef(ref: ElevenLabs.AudioRefChunk): AudioRef {
  return { song_id: ref.songId, range: fromSdkRange(ref.range) };
}
