import { createHash } from 'node:crypto';
import { MODELS, OUTPUT_FORMATS, VOICES } from '../elevenlabs-fixtures.js';
import type { Account, FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, parseJson, type RecordedRequest, validation, voiceNotFound } from '../fake-wire.js';

export { DEFAULT_SCRIPT, STT_MODELS, scriptRecording, srtTime, type Utterance } from './speech-to-text.js';

/**
 * Speech and sound made from audio or text: speech to speech (POST /v1/speech-to-speech/{voice_id},
 * multipart), audio isolation (POST /v1/audio-isolation, multipart), sound effects (POST /v1/sound-generation,
 * JSON) and dialogue (POST /v1/text-to-dialogue, JSON). Binary answers are `fake.audioFor(...)` of what was
 * asked, pushed to the account's audio. Speech to text, and the scripted recordings tests give it, are in
 * speech-to-text.ts (re-exported here).
 */

export const SFX_MODELS = ['eleven_text_to_sound_v2'];
export const SFX_CREDITS_PER_SECOND = 40;
export const SFX_AUTO_CREDITS = 200;
const SOUND_FORMATS = new Set([...OUTPUT_FORMATS].filter((format) => !format.startsWith('wav_')));

export function installSpeechRoutes(fake: FakeElevenLabs): void {
  fake.route('POST', /^\/v1\/speech-to-speech\/([^/]+)(?:\/stream)?$/, async (request, [voiceId], account) => {
    const refused = quotaOrFormat(request, account, OUTPUT_FORMATS);
    if (refused) return refused;
    const form = await request.form();
    const audio = form.get('audio');
    if (audio === null || typeof audio === 'string') return validation('body', 'audio', 'field required');
    const modelId = String(form.get('model_id') ?? 'eleven_english_sts_v2');
    const model = MODELS.find((m) => m.model_id === modelId);
    if (!model) return detail(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`);
    if (!model.can_do_voice_conversion)
      return detail(400, 'model_can_not_do_voice_conversion', `The model ${modelId} cannot do voice conversion.`);
    const settings = form.get('voice_settings');
    if (settings !== null) {
      const parsed = typeof settings === 'string' ? parseJson(settings) : undefined;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        return validation('body', 'voice_settings', 'voice_settings must be a JSON object');
      const bad = outOfRange(parsed as Record<string, unknown>);
      if (bad) return validation('body', `voice_settings.${bad}`, 'value out of range');
    }
    const noise = form.get('remove_background_noise');
    if (noise !== null && noise !== 'true' && noise !== 'false')
      return validation('body', 'remove_background_noise', 'value could not be parsed to a boolean');
    if (!VOICES.some((v) => v.voice_id === voiceId)) return voiceNotFound(voiceId!);
    const bytes = new Uint8Array(await audio.arrayBuffer());
    return generated(fake, account, `sts|${voiceId}|${modelId}|${sha256(bytes)}`);
  });

  fake.route('POST', /^\/v1\/audio-isolation(?:\/stream)?$/, async (request, _params, account) => {
    const refused = quotaOrFormat(request, account);
    if (refused) return refused;
    const form = await request.form();
    const audio = form.get('audio');
    if (audio === null || typeof audio === 'string') return validation('body', 'audio', 'field required');
    if (audio.size === 0) return detail(400, 'invalid_audio', 'The audio file is empty.');
    return generated(fake, account, `iso|${sha256(new Uint8Array(await audio.arrayBuffer()))}`, 'audio/mpeg');
  });

  fake.route('POST', /^\/v1\/sound-generation$/, (request, _params, account) => {
    const refused = quotaOrFormat(request, account, SOUND_FORMATS);
    if (refused) return refused;
    const body = request.json as Record<string, unknown> | undefined;
    if (!body || typeof body.text !== 'string') return validation('body', 'text', 'field required');
    const duration = body.duration_seconds;
    if (
      duration !== undefined &&
      duration !== null &&
      (typeof duration !== 'number' || duration < 0.5 || duration > 30)
    ) {
      return validation('body', 'duration_seconds', 'ensure this value is between 0.5 and 30');
    }
    const influence = body.prompt_influence;
    if (influence !== undefined && (typeof influence !== 'number' || influence < 0 || influence > 1))
      return validation('body', 'prompt_influence', 'ensure this value is between 0 and 1');
    if (body.loop !== undefined && typeof body.loop !== 'boolean')
      return validation('body', 'loop', 'value is not a valid boolean');
    if (body.model_id !== undefined && !SFX_MODELS.includes(String(body.model_id)))
      return validation('body', 'model_id', 'value is not a valid enumeration member');
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
      return validation('body', 'inputs', 'ensure this value has at least 1 items');
    if (!inputs.every((i) => typeof i?.text === 'string' && typeof i?.voice_id === 'string'))
      return validation('body', 'inputs', 'each input needs text and voice_id');
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
      return validation('body', 'settings.stability', 'ensure this value is between 0 and 1');
    const missing = [...voiceIds].find((id) => !VOICES.some((v) => v.voice_id === id));
    if (missing) return voiceNotFound(missing);
    const reply = generated(fake, account, inputs.map((i) => `${i.voice_id}: ${i.text}`).join('\n'));
    return { ...reply, headers: { ...reply.headers, 'character-cost': String([...text].length) } };
  });
}

/** Audio made from `seed`, recorded on the account, as a binary answer with a request id. */
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

/** The refusal for an account over its quota, or for an output_format not in `formats`; undefined when neither. */
function quotaOrFormat(
  request: RecordedRequest,
  account: Account,
  formats?: ReadonlySet<string>,
): FakeReply | undefined {
  if (account.status === 'quota_exceeded')
    return detail(401, 'quota_exceeded', 'This request exceeds your quota. You have 12 credits remaining.');
  const format = request.query.get('output_format');
  if (formats && format !== null && !formats.has(format))
    return validation('query', 'output_format', 'value is not a valid enumeration member');
  return undefined;
}

/** The first voice setting out of its range (or of the wrong type), by name. */
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

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
