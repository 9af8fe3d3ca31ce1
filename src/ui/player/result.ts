// What the player reads from a tool result's structuredContent. The shapes are those of the audio tools'
// output schemas (src/tools/*.ts); anything else is read defensively, since a host may hand the view a
// result of a tool it does not expect.
import { parseFileId } from '../../storage/file-ids.js';
import { formatInfo } from '../../audio/formats.js';

/** One stored file, as storedAudioShape (src/toolkit/results.ts) describes it. */
export interface Clip {
  audioId: string;
  url: string;
  expiresAt: string;
  mimeType: string;
  bytes: number;
  filename: string;
}

export interface Fact {
  readonly label: string;
  readonly value: string;
}

/** Per-character timing of the spoken text (text_to_speech with with_timestamps). */
export interface Alignment {
  readonly characters: readonly string[];
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export interface Preview {
  readonly clip: Clip;
  readonly generatedVoiceId: string;
  readonly durationSecs: number | undefined;
  readonly language: string | undefined;
}

/** One entry of list_audio: no link yet (list_audio signs none); get_audio_url gives one on demand. */
export interface StoredItem {
  readonly audioId: string;
  readonly kind: string;
  readonly mimeType: string;
  readonly bytes: number;
  readonly lastModified: string;
}

export type View =
  | {
      readonly kind: 'library';
      readonly title: string;
      readonly items: StoredItem[];
      readonly total: number | undefined;
      readonly more: boolean;
    }
  | {
      readonly kind: 'single';
      readonly title: string;
      readonly clip: Clip;
      readonly facts: Fact[];
      readonly alignment: Alignment | undefined;
    }
  | {
      readonly kind: 'previews';
      readonly title: string;
      readonly previews: Preview[];
      readonly facts: Fact[];
      readonly text: string | undefined;
    };

type Json = Record<string, unknown>;

/** What made a stored file, by its id's prefix (the `kind` every tool stores with). */
export const TITLES: Record<string, string> = {
  tts: 'Speech',
  dialogue: 'Dialogue',
  sfx: 'Sound effect',
  sts: 'Speech to speech',
  iso: 'Isolated voice',
  music: 'Music',
  preview: 'Voice preview',
  upload: 'Upload',
  stt: 'Transcript',
};

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function clipOf(value: unknown): Clip | undefined {
  if (!isObject(value)) return undefined;
  const audioId = str(value.audio_id);
  const url = str(value.url);
  if (!audioId || !url) return undefined;
  return {
    audioId,
    url,
    expiresAt: str(value.expires_at) ?? '',
    mimeType: str(value.mime_type) ?? 'audio/mpeg',
    bytes: num(value.bytes) ?? 0,
    filename: str(value.filename) ?? audioId,
  };
}

/** The view for a result, or undefined when it carries no audio the player knows. */
export function viewOf(structured: unknown, toolTitle?: string): View | undefined {
  if (!isObject(structured)) return undefined;
  if (Array.isArray(structured.items)) {
    const items = structured.items.flatMap((item): StoredItem[] => {
      if (!isObject(item) || !str(item.audio_id)) return [];
      return [
        {
          audioId: str(item.audio_id)!,
          kind: str(item.kind) ?? '',
          mimeType: str(item.mime_type) ?? '',
          bytes: num(item.bytes) ?? 0,
          lastModified: str(item.last_modified) ?? '',
        },
      ];
    });
    return {
      kind: 'library',
      title: toolTitle ?? 'Stored files',
      items,
      total: num(structured.total),
      more: str(structured.next_continuation_token) !== undefined,
    };
  }
  const common = commonFacts(structured);
  if (Array.isArray(structured.previews)) {
    const previews = structured.previews.flatMap((item): Preview[] => {
      const clip = clipOf(item);
      if (!clip || !isObject(item)) return [];
      return [
        {
          clip,
          generatedVoiceId: str(item.generated_voice_id) ?? '',
          durationSecs: num(item.duration_secs),
          language: str(item.language),
        },
      ];
    });
    if (previews.length === 0) return undefined;
    return {
      kind: 'previews',
      title: toolTitle ?? 'Voice previews',
      previews,
      facts: common,
      text: str(structured.text),
    };
  }
  const clip = clipOf(structured);
  if (!clip) return undefined;
  const kind = parseFileId(clip.audioId)?.kind ?? '';
  return {
    kind: 'single',
    title: toolTitle ?? TITLES[kind] ?? 'Audio',
    clip,
    facts: common,
    alignment: alignmentOf(structured.alignment),
  };
}

function commonFacts(s: Json): Fact[] {
  const facts: Fact[] = [];
  const voice = str(s.voice_name) ?? str(s.voice_id);
  if (voice) facts.push({ label: 'Voice', value: voice });
  if (Array.isArray(s.voice_ids) && s.voice_ids.length)
    facts.push({ label: 'Voices', value: String(s.voice_ids.length) });
  const model = str(s.model_id);
  if (model) facts.push({ label: 'Model', value: model });
  const format = str(s.format);
  if (format) facts.push({ label: 'Format', value: formatInfo(format).label });
  const billed = num(s.characters_billed);
  if (billed !== undefined) facts.push({ label: 'Characters billed', value: billed.toLocaleString('en') });
  return facts;
}

function alignmentOf(value: unknown): Alignment | undefined {
  if (!isObject(value)) return undefined;
  const { characters, character_start_times_seconds: starts, character_end_times_seconds: ends } = value;
  if (!Array.isArray(characters) || !Array.isArray(starts) || !Array.isArray(ends)) return undefined;
  if (characters.length === 0 || characters.length !== starts.length || starts.length !== ends.length) return undefined;
  return { characters: characters.map(String), starts: starts.map(Number), ends: ends.map(Number) };
}

/** The index of the character being spoken at `time` (the last one started), -1 before the first. */
export function spokenIndex(alignment: Alignment, time: number): number {
  let low = 0;
  let high = alignment.starts.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (alignment.starts[mid]! <= time) {
      found = mid;
      low = mid + 1;
    } else {
      high = mid - 1;
    }
  }
  return found;
}

/** `m:ss`, for times and durations. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '0:00';
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** A duration for the summary: tenths under a minute, `m:ss` above. */
export function duration(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : clock(seconds);
}

/** A file's size for the player: the server's one byte formatter. */
export { formatBytes as size } from '../../bytes.js';
