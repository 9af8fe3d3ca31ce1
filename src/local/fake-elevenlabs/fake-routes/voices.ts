import { createHash } from 'node:crypto';
import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply } from '../fake-wire.js';
import { silentMp3Seconds } from '../silent-mp3.js';
import { OUTPUT_FORMATS, voiceBody } from '../elevenlabs-fixtures.js';

/**
 * Voice creation and the shared library: instant cloning (POST /v1/voices/add, multipart), voice design
 * (POST /v1/text-to-voice/design) and saving a design (POST /v1/text-to-voice), the shared voice
 * library (GET /v1/shared-voices) and adding a library voice (POST /v1/voices/add/{owner}/{voice}).
 */

/** Voices of the shared library, in the shape GET /v1/shared-voices answers (every field the SDK requires). */
export const LIBRARY_VOICES = [
  libraryVoice(
    '63e06b7e7cafdc46be4d2e0b3f045940231ae058d508589653d74d1265a574ca',
    'HDA9tsk27wYi3uq0fPcK',
    'Stuart - Energetic and enthusiastic',
    {
      accent: 'australian',
      gender: 'male',
      age: 'middle_aged',
      descriptive: 'confident',
      use_case: 'social_media',
      category: 'professional',
      language: 'en',
      description: 'Professional Australian voice, energetic and engaging: great for ads, explainers and social media.',
      featured: true,
    },
  ),
  libraryVoice(
    'b8e6d7f0a1c2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8',
    'Mu5jxyqZOLIGltFpfalg',
    'Jameson - Guided Meditation',
    {
      accent: 'american',
      gender: 'male',
      age: 'middle_aged',
      descriptive: 'calm',
      use_case: 'narrative_story',
      category: 'high_quality',
      language: 'en',
      description: 'A soothing, deep voice for meditation and sleep stories.',
      featured: false,
    },
  ),
  libraryVoice(
    '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
    'gD1IexrzCvsXPHUuT0s3',
    'Sofía - Cálida narradora',
    {
      accent: 'castilian',
      gender: 'female',
      age: 'young',
      descriptive: 'warm',
      use_case: 'narrative_story',
      category: 'professional',
      language: 'es',
      description: 'Voz cálida y clara, ideal para audiolibros.',
      featured: false,
    },
  ),
];

interface LibraryTraits {
  accent: string;
  gender: string;
  age: string;
  descriptive: string;
  use_case: string;
  category: string;
  language: string;
  description: string;
  featured: boolean;
}

function libraryVoice(owner: string, voiceId: string, name: string, traits: LibraryTraits) {
  return {
    public_owner_id: owner,
    voice_id: voiceId,
    date_unix: 1714204800,
    name,
    ...traits,
    locale: null,
    preview_url: `https://storage.googleapis.com/eleven-public-prod/${owner.slice(0, 12)}/voices/${voiceId}/preview.mp3`,
    usage_character_count_1y: 1_250_000,
    usage_character_count_7d: 24_000,
    play_api_usage_character_count_1y: 800_000,
    cloned_by_count: 5312,
    rate: 1,
    fiat_rate: null,
    free_users_allowed: true,
    live_moderation_enabled: false,
    verified_languages: [
      {
        language: traits.language,
        model_id: 'eleven_multilingual_v2',
        accent: traits.accent,
        locale: null,
        preview_url: null,
      },
    ],
    notice_period: null,
    instagram_username: null,
    twitter_username: null,
    youtube_username: null,
    tiktok_username: null,
    image_url: null,
    is_added_by_user: false,
    is_bookmarked: false,
  };
}

/** What text-to-voice/design answers with when asked to write the text itself. */
export const AUTO_TEXT =
  'Every voice has a story to tell, and this one begins with a quiet breath before the first word. Listen closely: ' +
  'it carries warmth, a little mischief, and the promise of more.';

/** text-to-voice/design's output formats: AllowedOutputFormats, which has no WAV. */
const DESIGN_FORMATS = new Set([...OUTPUT_FORMATS].filter((format) => !format.startsWith('wav')));
const DESIGN_MODELS = new Set(['eleven_multilingual_ttv_v2', 'eleven_ttv_v3']);
const LIBRARY_CATEGORIES = new Set(['professional', 'famous', 'high_quality']);
const LIBRARY_SORTS = new Set(['created_date', 'usage_character_count_1y', 'trending', 'cloned_by_count']);

export function installVoiceRoutes(fake: FakeElevenLabs): void {
  /** generated_voice_id values each key's designs produced: POST /v1/text-to-voice takes only those. */
  const designed = new Map<string, Set<string>>();

  fake.route('POST', /^\/v1\/voices\/add$/, async (request) => {
    if (!String(request.headers['content-type']).startsWith('multipart/form-data'))
      return validation('body', 'name', 'Field required', 'missing');
    const form = await request.form();
    const name = form.get('name');
    if (typeof name !== 'string' || name.trim() === '') return validation('body', 'name', 'Field required', 'missing');
    const files = form.getAll('files');
    if (files.length === 0 || files.some((file) => typeof file === 'string'))
      return validation('body', 'files', 'Field required', 'missing');
    const noise = form.get('remove_background_noise');
    if (noise !== null && noise !== 'true' && noise !== 'false')
      return validation('body', 'remove_background_noise', 'Input should be a valid boolean', 'bool_parsing');
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
      return validation(
        'query',
        'output_format',
        "Input should be 'mp3_22050_32', 'mp3_24000_48', ... or 'opus_48000_192'",
        'enum',
      );
    const body = request.json as Record<string, unknown> | undefined;
    if (!body) return validation('body', 'voice_description', 'Field required', 'missing');
    const problem =
      lengthProblem(body, 'voice_description', 20, 1000, true) ??
      lengthProblem(body, 'text', 100, 1000, false) ??
      rangeProblem(body, 'loudness', -1, 1) ??
      rangeProblem(body, 'guidance_scale', 0, 100) ??
      rangeProblem(body, 'seed', 0, 2147483647);
    if (problem) return problem;
    if (body.model_id !== undefined && !DESIGN_MODELS.has(String(body.model_id))) {
      return validation('body', 'model_id', "Input should be 'eleven_multilingual_ttv_v2' or 'eleven_ttv_v3'", 'enum');
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
    if (!body) return validation('body', 'voice_name', 'Field required', 'missing');
    for (const field of ['voice_name', 'generated_voice_id']) {
      if (typeof body[field] !== 'string') return validation('body', field, 'Field required', 'missing');
    }
    const problem = lengthProblem(body, 'voice_description', 20, 1000, true);
    if (problem) return problem;
    if (body.labels !== undefined && body.labels !== null && !isStringRecord(body.labels))
      return validation('body', 'labels', 'Input should be a valid dictionary', 'dict_type');
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

  fake.route('GET', /^\/v1\/shared-voices$/, (request) => {
    const query = request.query;
    const pageSize = Number(query.get('page_size') ?? 30);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      return validation('query', 'page_size', 'Input should be less than or equal to 100', 'less_than_equal');
    const page = Number(query.get('page') ?? 0);
    if (!Number.isInteger(page) || page < 0)
      return validation('query', 'page', 'Input should be greater than or equal to 0', 'greater_than_equal');
    const category = query.get('category');
    if (category !== null && !LIBRARY_CATEGORIES.has(category))
      return validation('query', 'category', "Input should be 'professional', 'famous' or 'high_quality'", 'enum');
    const sort = query.get('sort');
    if (sort !== null && !LIBRARY_SORTS.has(sort))
      return validation('query', 'sort', 'Input should be a valid sort', 'enum');
    const featured = query.get('featured');
    if (featured !== null && featured !== 'true' && featured !== 'false')
      return validation('query', 'featured', 'Input should be a valid boolean', 'bool_parsing');
    const search = query.get('search')?.toLowerCase();
    const useCases = query.getAll('use_cases');
    const matching = LIBRARY_VOICES.filter(
      (voice) =>
        (!search ||
          [voice.name, voice.description, voice.descriptive, voice.accent].some((field) =>
            String(field).toLowerCase().includes(search),
          )) &&
        (category === null || voice.category === category) &&
        (['gender', 'age', 'accent', 'language'] as const).every(
          (filter) => query.get(filter) === null || voice[filter] === query.get(filter),
        ) &&
        (useCases.length === 0 || useCases.includes(String(voice.use_case))) &&
        (featured === null || voice.featured === (featured === 'true')),
    );
    const start = page * pageSize;
    return {
      body: {
        voices: matching.slice(start, start + pageSize),
        has_more: start + pageSize < matching.length,
        total_count: matching.length,
        last_sort_id: null,
      },
    };
  });

  fake.route('POST', /^\/v1\/voices\/add\/([^/]+)\/([^/]+)$/, (request, [owner, voiceId]) => {
    const body = request.json as Record<string, unknown> | undefined;
    if (typeof body?.new_name !== 'string') return validation('body', 'new_name', 'Field required', 'missing');
    const voice = LIBRARY_VOICES.find((v) => v.public_owner_id === owner && v.voice_id === voiceId);
    if (!voice) return detail(404, 'voice_not_found', `Voice ${voiceId} is not shared by user ${owner}.`);
    return { body: { voice_id: voice.voice_id } };
  });
}

/** FastAPI's 422: `{"detail":[{"type":...,"loc":[...],"msg":...}]}`. */
function validation(where: string, field: string, msg: string, type: string): FakeReply {
  return { status: 422, body: { detail: [{ type, loc: [where, field], msg, input: null }] } };
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
    return required ? validation('body', field, 'Field required', 'missing') : undefined;
  if (typeof value !== 'string') return validation('body', field, 'Input should be a valid string', 'string_type');
  const length = [...value].length;
  if (length < min)
    return validation('body', field, `String should have at least ${min} characters`, 'string_too_short');
  if (length > max) return validation('body', field, `String should have at most ${max} characters`, 'string_too_long');
  return undefined;
}

function rangeProblem(body: Record<string, unknown>, field: string, min: number, max: number): FakeReply | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || value < min || value > max)
    return validation('body', field, `Input should be between ${min} and ${max}`, 'less_than_equal');
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A voice-id-like identifier (20 letters and digits), stable for the same seed. */
function idFrom(seed: string): string {
  return createHash('sha256')
    .update(seed)
    .digest('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 20);
}
