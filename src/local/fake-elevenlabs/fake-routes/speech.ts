import { createHash } from 'node:crypto';
import { MODELS, OUTPUT_FORMATS, VOICES } from '../elevenlabs-fixtures.js';
import type { Account, FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, type RecordedRequest } from '../fake-wire.js';

/**
 * Speech and sound endpoints: speech to text (POST /v1/speech-to-text, multipart, JSON answer), speech
 * to speech (POST /v1/speech-to-speech/{voice_id}, multipart), audio isolation (POST /v1/audio-isolation,
 * multipart), sound effects (POST /v1/sound-generation, JSON) and dialogue (POST /v1/text-to-dialogue, JSON).
 * Binary answers are `fake.audioFor(...)` of what was asked, pushed to the account's audio.
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
export const SFX_MODELS = ['eleven_text_to_sound_v2'];
export const SFX_CREDITS_PER_SECOND = 40;
export const SFX_AUTO_CREDITS = 200;
const SOUND_FORMATS = new Set([...OUTPUT_FORMATS].filter((format) => !format.startsWith('wav_')));
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

export function installSpeechRoutes(fake: FakeElevenLabs): void {
  scripts.set(fake, new Map());

  fake.route('POST', /^\/v1\/speech-to-text$/, async (request) => {
    const form = await request.form();
    const modelId = form.get('model_id');
    if (typeof modelId !== 'string') return invalid('body', 'model_id', 'field required');
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
      return invalid('body', 'file', 'expected a non-empty file upload');
    const granularity = form.get('timestamps_granularity') ?? 'word';
    if (typeof granularity !== 'string' || !['none', 'word', 'character'].includes(granularity))
      return invalid('body', 'timestamps_granularity', 'value is not a valid enumeration member');
    const speakers = form.get('num_speakers');
    if (speakers !== null && !(Number.isInteger(Number(speakers)) && Number(speakers) >= 1 && Number(speakers) <= 32))
      return invalid('body', 'num_speakers', 'ensure this value is between 1 and 32');
    const flags: Record<string, boolean> = {};
    for (const [name, fallback] of [
      ['diarize', false],
      ['tag_audio_events', true],
    ] as const) {
      const value = form.get(name);
      if (value !== null && value !== 'true' && value !== 'false')
        return invalid('body', name, 'value could not be parsed to a boolean');
      flags[name] = value === null ? fallback : value === 'true';
    }
    let formats: Array<Record<string, unknown>> = [];
    const additional = form.get('additional_formats');
    if (additional !== null) {
      const parsed = typeof additional === 'string' ? safeJson(additional) : undefined;
      if (!Array.isArray(parsed) || !parsed.every((f) => typeof f?.format === 'string'))
        return invalid('body', 'additional_formats', 'value is not a valid list of export options');
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

  fake.route('POST', /^\/v1\/speech-to-speech\/([^/]+)(?:\/stream)?$/, async (request, [voiceId], account) => {
    const refused = quotaOrFormat(request, account, OUTPUT_FORMATS);
    if (refused) return refused;
    const form = await request.form();
    const audio = form.get('audio');
    if (audio === null || typeof audio === 'string') return invalid('body', 'audio', 'field required');
    const modelId = String(form.get('model_id') ?? 'eleven_english_sts_v2');
    const model = MODELS.find((m) => m.model_id === modelId);
    if (!model) return detail(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`);
    if (!model.can_do_voice_conversion)
      return detail(400, 'model_can_not_do_voice_conversion', `The model ${modelId} cannot do voice conversion.`);
    const settings = form.get('voice_settings');
    if (settings !== null) {
      const parsed = typeof settings === 'string' ? safeJson(settings) : undefined;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return invalid('body', 'voice_settings', 'voice_settings must be a JSON object');
      const bad = outOfRange(parsed as Record<string, unknown>);
      if (bad) return invalid('body', `voice_settings.${bad}`, 'value out of range');
    }
    const noise = form.get('remove_background_noise');
    if (noise !== null && noise !== 'true' && noise !== 'false')
      return invalid('body', 'remove_background_noise', 'value could not be parsed to a boolean');
    if (!VOICES.some((v) => v.voice_id === voiceId)) return voiceNotFound(voiceId!);
    const bytes = new Uint8Array(await audio.arrayBuffer());
    return generated(fake, account, `sts|${voiceId}|${modelId}|${sha256(bytes)}`);
  });

  fake.route('POST', /^\/v1\/audio-isolation(?:\/stream)?$/, async (request, _params, account) => {
    const refused = quotaOrFormat(request, account);
    if (refused) return refused;
    const form = await request.form();
    const audio = form.get('audio');
    if (audio === null || typeof audio === 'string') return invalid('body', 'audio', 'field required');
    if (audio.size === 0) return detail(400, 'invalid_audio', 'The audio file is empty.');
    return generated(fake, account, `iso|${sha256(new Uint8Array(await audio.arrayBuffer()))}`, 'audio/mpeg');
  });

  fake.route('POST', /^\/v1\/sound-generation$/, (request, _params, account) => {
    const refused = quotaOrFormat(request, account, SOUND_FORMATS);
    if (refused) return refused;
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body.text !== 'string') return invalid('body', 'text', 'field required');
    const duration = body.duration_seconds;
    if (
      duration !== undefined &&
      duration !== null &&
      (typeof duration !== 'number' || duration < 0.5 || duration > 30)
    ) {
      return invalid('body', 'duration_seconds', 'ensure this value is between 0.5 and 30');
    }
    const influence = body.prompt_influence;
    if (influence !== undefined && (typeof influence !== 'number' || influence < 0 || influence > 1))
      return invalid('body', 'prompt_influence', 'ensure this value is between 0 and 1');
    if (body.loop !== undefined && typeof body.loop !== 'boolean')
      return invalid('body', 'loop', 'value is not a valid boolean');
    if (body.model_id !== undefined && !SFX_MODELS.includes(String(body.model_id)))
      return invalid('body', 'model_id', 'value is not a valid enumeration member');
    const reply = generated(fake, account, `sfx|${body.text}|${duration ?? 'auto'}|${body.loop ?? false}`);
    // The OpenAPI documents `character-cost` on this answer; ElevenLabs bills 40 credits a second when a duration is
    // given (its sound-effects guide). Automatic length is billed by what the model chose: this fake says 200.
    const cost = typeof duration === 'number' ? Math.round(duration * SFX_CREDITS_PER_SECOND) : SFX_AUTO_CREDITS;
    return { ...reply, headers: { ...reply.headers, 'character-cost': String(cost) } };
  });

  fake.route('POST', /^\/v1\/text-to-dialogue(?:\/stream)?$/, (request, _params, account) => {
    const refused = quotaOrFormat(request, account, OUTPUT_FORMATS);
    if (refused) return refused;
    const body = request.json as Record<string, unknown> | undefined;
    const inputs = body?.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0)
      return invalid('body', 'inputs', 'ensure this value has at least 1 items');
    if (!inputs.every((i) => typeof i?.text === 'string' && typeof i?.voice_id === 'string'))
      return invalid('body', 'inputs', 'each input needs text and voice_id');
    const voiceIds = new Set(inputs.map((i) => i.voice_id as string));
    if (voiceIds.size > 10) return detail(400, 'too_many_voices', 'A dialogue may use at most 10 unique voice IDs.');
    const modelId = typeof body!.model_id === 'string' ? body!.model_id : 'eleven_v3';
    const model = MODELS.find((m) => m.model_id === modelId);
    if (!model) return detail(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`);
    const text = inputs.map((i) => i.text as string).join('');
    const limit = model.maximum_text_length_per_request as number;
    if ([...text].length > limit)
      return detail(
        400,
        'max_character_limit_exceeded',
        `Text must not exceed ${limit} characters for model ${modelId}.`,
      );
    const stability = (body!.settings as Record<string, unknown> | undefined)?.stability;
    if (stability !== undefined && (typeof stability !== 'number' || stability < 0 || stability > 1))
      return invalid('body', 'settings.stability', 'ensure this value is between 0 and 1');
    const missing = [...voiceIds].find((id) => !VOICES.some((v) => v.voice_id === id));
    if (missing) return voiceNotFound(missing);
    const reply = generated(fake, account, inputs.map((i) => `${i.voice_id}: ${i.text}`).join('\n'));
    return { ...reply, headers: { ...reply.headers, 'character-cost': String([...text].length) } };
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

export function srtTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)},${pad(ms % 1000, 3)}`;
}

function generated(
  fake: FakeElevenLabs,
  account: Account,
  seed: string,
  contentType = 'application/octet-stream',
): FakeReply {
  const audio = fake.audioFor(seed);
  account.audio.push(audio);
  return { headers: { 'content-type': contentType, 'request-id': `req_${sha256(audio).slice(0, 16)}` }, body: audio };
}

function quotaOrFormat(
  request: RecordedRequest,
  account: Account,
  formats?: ReadonlySet<string>,
): FakeReply | undefined {
  if (account.status === 'quota_exceeded')
    return detail(401, 'quota_exceeded', 'This request exceeds your quota. You have 12 credits remaining.');
  const format = request.query.get('output_format');
  if (formats && format !== null && !formats.has(format))
    return invalid('query', 'output_format', 'value is not a valid enumeration member');
  return undefined;
}

function outOfRange(settings: Record<string, unknown>): string | undefined {
  for (const [name, [low, high]] of Object.entries({
    stability: [0, 1],
    similarity_boost: [0, 1],
    style: [0, 1],
    speed: [0.7, 1.2],
  })) {
    const value = settings[name];
    if (value !== undefined && (typeof value !== 'number' || value < low! || value > high!)) return name;
  }
  if (settings.use_speaker_boost !== undefined && typeof settings.use_speaker_boost !== 'boolean')
    return 'use_speaker_boost';
  return undefined;
}

function voiceNotFound(voiceId: string): FakeReply {
  return detail(404, 'voice_not_found', `A voice with the voice_id ${voiceId} was not found.`);
}

/** FastAPI's 422: `{"detail":[{"loc":[...],"msg":...,"type":...}]}`. */
function invalid(where: string, field: string, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc: [where, ...field.split('.')], msg, type: 'value_error' }] } };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
