import type { FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, typedValidation } from '../fake-wire.js';

/**
 * The shared voice library: searching it (GET /v1/shared-voices, with its filters and pages) and adding one
 * of its voices to the caller's own (POST /v1/voices/add/{public_owner_id}/{voice_id}), over `LIBRARY_VOICES`.
 */

/** Where the library's preview clips are. */
const PREVIEWS = 'https://storage.googleapis.com/eleven-public-prod';

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

/** A library voice in the shape GET /v1/shared-voices answers, with usage figures of a popular voice. */
function libraryVoice(owner: string, voiceId: string, name: string, traits: LibraryTraits) {
  return {
    public_owner_id: owner,
    voice_id: voiceId,
    date_unix: 1714204800,
    name,
    ...traits,
    locale: null,
    preview_url: `${PREVIEWS}/${owner.slice(0, 12)}/voices/${voiceId}/preview.mp3`,
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

const LIBRARY_CATEGORIES = new Set(['professional', 'famous', 'high_quality']);
const LIBRARY_SORTS = new Set(['created_date', 'usage_character_count_1y', 'trending', 'cloned_by_count']);

export function installVoiceLibraryRoutes(fake: FakeElevenLabs): void {
  fake.route('GET', /^\/v1\/shared-voices$/, (request) => {
    const query = request.query;
    const pageSize = Number(query.get('page_size') ?? 30);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100)
      return typedValidation('query', 'page_size', 'Input should be less than or equal to 100', 'less_than_equal');
    const page = Number(query.get('page') ?? 0);
    if (!Number.isInteger(page) || page < 0)
      return typedValidation('query', 'page', 'Input should be greater than or equal to 0', 'greater_than_equal');
    const category = query.get('category');
    if (category !== null && !LIBRARY_CATEGORIES.has(category))
      return typedValidation('query', 'category', "Input should be 'professional', 'famous' or 'high_quality'", 'enum');
    const sort = query.get('sort');
    if (sort !== null && !LIBRARY_SORTS.has(sort))
      return typedValidation('query', 'sort', 'Input should be a valid sort', 'enum');
    const featured = query.get('featured');
    if (featured !== null && featured !== 'true' && featured !== 'false')
      return typedValidation('query', 'featured', 'Input should be a valid boolean', 'bool_parsing');
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
    if (typeof body?.new_name !== 'string') return typedValidation('body', 'new_name', 'Field required', 'missing');
    const voice = LIBRARY_VOICES.find((v) => v.public_owner_id === owner && v.voice_id === voiceId);
    if (!voice) return detail(404, 'voice_not_found', `Voice ${voiceId} is not shared by user ${owner}.`);
    return { body: { voice_id: voice.voice_id } };
  });
}
