import { createHash } from 'node:crypto';
import { OUTPUT_FORMATS, voiceBody } from '../elevenlabs-fixtures.js';
import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, parseJson, typedValidation } from '../fake-wire.js';
import { silentMp3Seconds } from '../silent-mp3.js';

export { LIBRARY_VOICES } from './voice-library.js';

/**
 * Voice creation: instant cloning (POST /v1/voices/add, multipart), voice design (POST /v1/text-to-voice/design)
 * and saving a design (POST /v1/text-to-voice). The shared voice library (GET /v1/shared-voices, and adding one
 * of its voices) is in voice-library.ts; its voices are re-exported here.
 */

/** What text-to-voice/design answers with when asked to write the text itself. */
export const AUTO_TEXT =
  'Every voice has a story to tell, and this one begins with a quiet breath before the first word. Listen closely: ' +
  'it carries warmth, a little mischief, and the promise of more.';

/** text-to-voice/design's output formats: AllowedOutputFormats, which has no WAV. */
const DESIGN_FORMATS = new Set([...OUTPUT_FORMATS].filter((format) => !format.startsWith('wav')));
const DESIGN_MODELS = new Set(['eleven_multilingual_ttv_v2', 'eleven_ttv_v3']);

export function installVoiceRoutes(fake: FakeElevenLabs): void {
  /** generated_voice_id values each key's designs produced: POST /v1/text-to-voice takes only those. */
  const designed = new Map<string, Set<string>>();

  fake.route('POST', /^\/v1\/voices\/add$/, async (request) => {
    if (!String(request.headers['content-type']).startsWith('multipart/form-data'))
      return typedValidation('body', 'name', 'Field required', 'missing');
    const form = await request.form();
    const name = form.get('name');
    if (typeof name !== 'string' || name.trim() === '')
      return typedValidation('body', 'name', 'Field required', 'missing');
    const files = form.getAll('files');
    if (files.length === 0 || files.some((file) => typeof file === 'string'))
      return typedValidation('body', 'files', 'Field required', 'missing');
    const noise = form.get('remove_background_noise');
    if (noise !== null && noise !== 'true' && noise !== 'false')
      return typedValidation('body', 'remove_background_noise', 'Input should be a valid boolean', 'bool_parsing');
    const labels = form.get('labels');
    if (labels !== null && !isStringRecord(parseJson(String(labels)))) {
      return detail(400, 'invalid_labels', 'Labels must be a JSON object mapping label names to strings.');
    }
    return { body: { voice_id: idFrom(`clone:${name}:${files.length}`), requires_verification: false } };
  });

  fake.route('POST', /^\/v1\/text-to-voice\/design$/, (request, _params, account) => {
    if (account.status === 'quota_exceeded') {
      return detail(
        401,
        'quota_exceeded',
        'This request exceeds your quota of 10000. You have 12 credits remaining, while 1000 credits are required ' +
          'for this request.',
      );
    }
    const format = request.query.get('output_format') ?? 'mp3_44100_192';
    if (!DESIGN_FORMATS.has(format))
      return typedValidation(
        'query',
        'output_format',
        "Input should be 'mp3_22050_32', 'mp3_24000_48', ... or 'opus_48000_192'",
        'enum',
      );
    const body = request.json as Record<string, unknown> | undefined;
    if (!body) return typedValidation('body', 'voice_description', 'Field required', 'missing');
    const problem =
      lengthProblem(body, 'voice_description', 20, 1000, true) ??
      lengthProblem(body, 'text', 100, 1000, false) ??
      rangeProblem(body, 'loudness', -1, 1) ??
      rangeProblem(body, 'guidance_scale', 0, 100) ??
      rangeProblem(body, 'seed', 0, 2147483647);
    if (problem) return problem;
    if (body.model_id !== undefined && !DESIGN_MODELS.has(String(body.model_id))) {
      return typedValidation(
        'body',
        'model_id',
        "Input should be 'eleven_multilingual_ttv_v2' or 'eleven_ttv_v3'",
        'enum',
      );
    }
    const text = typeof body.text === 'string' ? body.text : body.auto_generate_text === true ? AUTO_TEXT : undefined;
    if (text === undefined)
      return detail(400, 'invalid_request', 'Provide a text of 100 to 1000 characters, or set auto_generate_text.');

    const ids = designed.get(account.key) ?? new Set<string>();
    designed.set(account.key, ids);
    const previews = [0, 1, 2].map((index) => {
      const audio = fake.audioFor(`${String(body.voice_description)}#${index}#${text}`);
      account.audio.push(audio);
      const generatedVoiceId = idFrom(`design:${account.key}:${audio.toString('base64', 0, 64)}`);
      ids.add(generatedVoiceId);
      return {
        audio_base_64: audio.toString('base64'),
        generated_voice_id: generatedVoiceId,
        media_type: format.startsWith('mp3') ? 'audio/mpeg' : 'application/octet-stream',
        duration_secs: Number(silentMp3Seconds(audio.length).toFixed(2)),
        language: 'en',
      };
    });
    return { body: { previews, text } };
  });

  fake.route('POST', /^\/v1\/text-to-voice$/, (request, _params, account) => {
    const body = request.json as Record<string, unknown> | undefined;
    if (!body) return typedValidation('body', 'voice_name', 'Field required', 'missing');
    for (const field of ['voice_name', 'generated_voice_id']) {
      if (typeof body[field] !== 'string') return typedValidation('body', field, 'Field required', 'missing');
    }
    const problem = lengthProblem(body, 'voice_description', 20, 1000, true);
    if (problem) return problem;
    if (body.labels !== undefined && body.labels !== null && !isStringRecord(body.labels))
      return typedValidation('body', 'labels', 'Input should be a valid dictionary', 'dict_type');
    const generatedVoiceId = String(body.generated_voice_id);
    if (!designed.get(account.key)?.has(generatedVoiceId)) {
      return detail(
        404,
        'generated_voice_not_found',
        `A generated voice with the generated_voice_id ${generatedVoiceId} was not found.`,
      );
    }
    return {
      body: voiceBody({
        voice_id: idFrom(`saved:${generatedVoiceId}`),
        name: String(body.voice_name),
        category: 'generated',
        labels: (body.labels as Record<string, string> | undefined) ?? {},
        description: String(body.voice_description),
        preview_url: `https://storage.googleapis.com/eleven-public-prod/generated/${generatedVoiceId}.mp3`,
      }),
    };
  });
}

function lengthProblem(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  required: boolean,
): FakeReply | undefined {
  const value = body[field];
  if (value === undefined || value === null)
    return required ? typedValidation('body', field, 'Field required', 'missing') : undefined;
  if (typeof value !== 'string') return typedValidation('body', field, 'Input should be a valid string', 'string_type');
  const length = [...value].length;
  if (length < min)
    return typedValidation('body', field, `String should have at least ${min} characters`, 'string_too_short');
  if (length > max)
    return typedValidation('body', field, `String should have at most ${max} characters`, 'string_too_long');
  return undefined;
}

function rangeProblem(body: Record<string, unknown>, field: string, min: number, max: number): FakeReply | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < min || value > max)
    return typedValidation('body', field, `Input should be between ${min} and ${max}`, 'less_than_equal');
  return undefined;
}

function isStringRecord(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** A voice-id-like identifier (20 letters and digits), stable for the same seed. */
function idFrom(seed: string): string {
  return createHash('sha256')
    .update(seed)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 20);
}
