import type { ElevenLabs } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';

/**
 * What speech_to_text makes of ElevenLabs' transcription: the transcript as speaker turns, the SRT subtitles
 * it asked for, and word timings in our snake_case shape.
 */

type Transcription = ElevenLabs.SpeechToTextChunkResponseModel;

/** One word (or audio event) with its timing, as structuredContent.words lists it. */
export const transcriptWordShape = z.object({
  text: z.string(),
  start: z.number().nullable().describe('Seconds from the start.'),
  end: z.number().nullable(),
  speaker_id: z.string().nullable().describe('speaker_0, speaker_1... when diarize was set.'),
  type: z.string().describe('word or audio_event.'),
});

export type TranscriptWord = z.infer<typeof transcriptWordShape>;

/**
 * The transcript as speaker turns, `SPEAKER 0: ...`, as the official server formats it; spacing words keep
 * the punctuation as spoken.
 */
export function labelSpeakers(result: Transcription): string {
  const turns: Array<{ speaker: string; text: string }> = [];
  for (const word of result.words) {
    const last = turns.at(-1);
    if (word.type === 'spacing') {
      if (last) last.text += word.text;
      continue;
    }
    const speaker = word.speakerId ?? last?.speaker ?? 'speaker_unknown';
    if (last?.speaker === speaker) last.text += word.text;
    else turns.push({ speaker, text: word.text });
  }
  if (turns.length === 0) return result.text;
  return turns.map((turn) => `${turn.speaker.toUpperCase().replace(/_/g, ' ')}: ${turn.text.trim()}`).join('\n\n');
}

/** How many distinct speakers diarization found. */
export function speakerCount(result: Transcription): number {
  return new Set(result.words.flatMap((w) => (w.speakerId && w.type !== 'spacing' ? [w.speakerId] : []))).size;
}

/** The SRT subtitles ElevenLabs returned among its additional formats, decoded; null when there are none. */
export function srtOf(result: Transcription): string | null {
  const format = result.additionalFormats?.find((f) => f?.requestedFormat === 'srt');
  if (!format) return null;
  return format.isBase64Encoded ? Buffer.from(format.content, 'base64').toString('utf8') : format.content;
}

/** A word of the transcription in structuredContent.words' shape. */
export function toTranscriptWord(word: ElevenLabs.SpeechToTextWordResponseModel): TranscriptWord {
  return {
    text: word.text,
    start: word.start ?? null,
    end: word.end ?? null,
    speaker_id: word.speakerId ?? null,
    type: word.type,
  };
}
