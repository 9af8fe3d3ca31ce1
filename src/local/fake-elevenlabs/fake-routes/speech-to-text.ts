import { createHash } from 'node:crypto';
import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, parseJson, validation } from '../fake-wire.js';

/**
 * Speech to text (POST /v1/speech-to-text, multipart, JSON answer): what the fake "hears" in a recording is
 * a script of turns, the one a test gave for that file or URL (`scriptRecording`) or `DEFAULT_SCRIPT`,
 * returned as ElevenLabs returns a transcript (words with timings, speakers, audio events, SRT exports).
 */

/** One speaker's turn in a scripted recording; `event` is an audio event heard before the words. */
export interface Utterance {
  readonly speaker: string;
  readonly text: string;
  readonly event?: string;
}

/** What the fake "hears" in a file it was not scripted for. */
export const DEFAULT_SCRIPT: readonly Utterance[] = [
  { speaker: 'speaker_0', text: 'Hello, and welcome to the show.' },
  { speaker: 'speaker_1', text: 'Thanks for having me.', event: '(laughter)' },
];

export const STT_MODELS = ['scribe_v1', 'scribe_v2'];
/** Seconds each word and each space last in a scripted recording. */
const WORD_SECONDS = 0.4;
const SPACE_SECONDS = 0.1;

const scripts = new WeakMap<FakeElevenLabs, Map<string, readonly Utterance[]>>();

/** What the fake transcribes for a file (by its bytes) or a source_url / cloud_storage_url (by the URL). */
export function scriptRecording(
  fake: FakeElevenLabs,
  fileOrUrl: Uint8Array | string,
  script: readonly Utterance[],
): void {
  const key = typeof fileOrUrl === 'string' ? fileOrUrl : sha256(fileOrUrl);
  scripts.get(fake)?.set(key, script);
}

export function installSpeechToTextRoutes(fake: FakeElevenLabs): void {
  scripts.set(fake, new Map());

  fake.route('POST', /^\/v1\/speech-to-text$/, async (request) => {
    const form = await request.form();
    const modelId = form.get('model_id');
    if (typeof modelId !== 'string') return validation('body', 'model_id', 'field required');
    if (!STT_MODELS.includes(modelId))
      return detail(
        400,
        'invalid_model_id',
        `Model ${modelId} is not a speech to text model. Use one of ${STT_MODELS.join(', ')}.`,
      );
    // source_url is the current field; cloud_storage_url is deprecated (SDK 2.73) but still accepted.
    const file = form.get('file');
    const sourceUrl = form.get('source_url');
    const cloudUrl = form.get('cloud_storage_url');
    if ([file, sourceUrl, cloudUrl].filter((v) => v !== null).length !== 1) {
      return detail(
        400,
        'invalid_parameters',
        'Exactly one of the file, source_url or cloud_storage_url parameters must be provided.',
      );
    }
    if (typeof cloudUrl === 'string' && !cloudUrl.startsWith('https://'))
      return detail(400, 'invalid_parameters', 'cloud_storage_url must be an HTTPS URL.');
    if (typeof sourceUrl === 'string' && !/^https?:\/\//.test(sourceUrl))
      return detail(400, 'invalid_parameters', 'source_url must be an HTTP or HTTPS URL.');
    const url = sourceUrl ?? cloudUrl;
    if (file !== null && (typeof file === 'string' || file.size === 0))
      return validation('body', 'file', 'expected a non-empty file upload');
    const granularity = form.get('timestamps_granularity') ?? 'word';
    if (typeof granularity !== 'string' || !['none', 'word', 'character'].includes(granularity))
      return validation('body', 'timestamps_granularity', 'value is not a valid enumeration member');
    const speakers = form.get('num_speakers');
    if (speakers !== null && !(Number.isInteger(Number(speakers)) && Number(speakers) >= 1 && Number(speakers) <= 32))
      return validation('body', 'num_speakers', 'ensure this value is between 1 and 32');
    const flags: Record<string, boolean> = {};
    for (const [name, fallback] of [
      ['diarize', false],
      ['tag_audio_events', true],
    ] as const) {
      const value = form.get(name);
      if (value !== null && value !== 'true' && value !== 'false')
        return validation('body', name, 'value could not be parsed to a boolean');
      flags[name] = value === null ? fallback : value === 'true';
    }
    let formats: Array<Record<string, unknown>> = [];
    const additional = form.get('additional_formats');
    if (additional !== null) {
      const parsed = typeof additional === 'string' ? parseJson(additional) : undefined;
      if (!Array.isArray(parsed) || !parsed.every((f) => typeof f?.format === 'string'))
        return validation('body', 'additional_formats', 'value is not a valid list of export options');
      formats = parsed;
    }

    const key = typeof url === 'string' ? url : sha256(new Uint8Array(await (file as File).arrayBuffer()));
    const script = scripts.get(fake)?.get(key) ?? DEFAULT_SCRIPT;
    const { words, cues, seconds } = perform(script, {
      diarize: flags.diarize!,
      events: flags.tag_audio_events!,
      granularity,
    });
    const language = form.get('language_code');
    return {
      body: {
        language_code: typeof language === 'string' ? language : 'eng',
        language_probability: typeof language === 'string' ? 1 : 0.98,
        text: words.map((w) => w.text).join(''),
        words,
        transcription_id: `tr_${createHash('sha1').update(key).digest('hex').slice(0, 20)}`,
        audio_duration_secs: seconds,
        ...(formats.length ? { additional_formats: formats.map((f) => exported(String(f.format), cues)) } : {}),
      },
    };
  });
}

interface ScriptedWord {
  text: string;
  start?: number;
  end?: number;
  type: 'word' | 'spacing' | 'audio_event';
  speaker_id?: string;
  logprob: number;
  characters?: Array<{ text: string; start: number; end: number }>;
}

interface Cue {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The words ElevenLabs would return for a script, with timings, and one subtitle cue per turn. */
function perform(
  script: readonly Utterance[],
  options: { diarize: boolean; events: boolean; granularity: string },
): { words: ScriptedWord[]; cues: Cue[]; seconds: number } {
  const words: ScriptedWord[] = [];
  const cues: Cue[] = [];
  let t = 0;
  const add = (text: string, type: ScriptedWord['type'], speaker: string, seconds: number) => {
    const start = round(t);
    t += seconds;
    const word: ScriptedWord = { text, type, logprob: type === 'spacing' ? 0 : -0.05 };
    if (options.granularity !== 'none') Object.assign(word, { start, end: round(t) });
    if (options.diarize) word.speaker_id = speaker;
    if (options.granularity === 'character' && type !== 'spacing') {
      const step = seconds / text.length;
      word.characters = [...text].map((c, i) => ({
        text: c,
        start: round(start + i * step),
        end: round(start + (i + 1) * step),
      }));
    }
    words.push(word);
  };
  script.forEach((turn, index) => {
    if (index > 0) add(' ', 'spacing', script[index - 1]!.speaker, SPACE_SECONDS);
    const start = round(t);
    const spoken: string[] = [];
    if (turn.event && options.events) {
      add(turn.event, 'audio_event', turn.speaker, WORD_SECONDS);
      add(' ', 'spacing', turn.speaker, SPACE_SECONDS);
      spoken.push(turn.event);
    }
    turn.text.split(' ').forEach((word, i) => {
      if (i > 0) add(' ', 'spacing', turn.speaker, SPACE_SECONDS);
      add(word, 'word', turn.speaker, WORD_SECONDS);
    });
    spoken.push(turn.text);
    cues.push({ start, end: round(t), text: spoken.join(' ') });
  });
  return { words, cues, seconds: round(t) };
}

/** An additional_formats entry; SRT is made from the cues (other formats are not scripted). */
function exported(format: string, cues: Cue[]): Record<string, unknown> {
  const content =
    format === 'srt'
      ? cues.map((cue, i) => `${i + 1}\n${srtTime(cue.start)} --> ${srtTime(cue.end)}\n${cue.text}\n`).join('\n')
      : cues.map((cue) => cue.text).join('\n');
  return {
    requested_format: format,
    file_extension: format === 'srt' ? 'srt' : 'txt',
    content_type: format === 'srt' ? 'application/x-subrip' : 'text/plain',
    is_base64_encoded: false,
    content,
  };
}

/** A time as SRT writes it: `HH:MM:SS,mmm`. */
export function srtTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const [hours, minutes, secs] = [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60];
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)},${pad(ms % 1000, 3)}`;
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
