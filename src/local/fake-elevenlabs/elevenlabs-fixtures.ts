/**
 * Response bodies in the shape the real ElevenLabs API returns them (snake_case, every field the SDK's
 * strict deserializers require). Values are examples from ElevenLabs' API reference.
 */

export interface FakeVoice {
  voice_id: string;
  name: string;
  category: string;
  labels: Record<string, string>;
  description: string | null;
  preview_url: string;
}

/** A premade voice: ElevenLabs names them "First name - Qualities" (GET /v2/voices of any account). */
function premade(voice_id: string, name: string, labels: Record<string, string>, description: string): FakeVoice {
  return {
    voice_id,
    name,
    category: 'premade',
    labels,
    description,
    preview_url: `https://storage.googleapis.com/eleven-public-prod/premade/voices/${voice_id}/preview.mp3`,
  };
}

/**
 * The caller's library: some of ElevenLabs' premade voices, with their real ids and names. Liam and Lily
 * share a prefix ("Li"), for the voice_name ambiguity cases.
 */
export const VOICES: FakeVoice[] = [
  premade(
    'JBFqnCBsd6RMkjVDRZzb',
    'George - Warm, Captivating Storyteller',
    { accent: 'British', age: 'middle aged', gender: 'male', use_case: 'narration' },
    'Warm resonance that instantly captivates listeners.',
  ),
  premade(
    'cgSgspJ2msm6clMCkdW9',
    'Jessica - Playful, Bright, Warm',
    { accent: 'American', age: 'young', gender: 'female', use_case: 'conversational' },
    'Young and popular, this playful American female voice is perfect for trendy content.',
  ),
  premade(
    'EXAVITQu4vr4xnSDxMaL',
    'Sarah - Mature, Reassuring, Confident',
    { accent: 'American', age: 'young', gender: 'female', use_case: 'news' },
    'Young adult woman with a confident and warm, mature quality.',
  ),
  premade(
    'pNInz6obpgDQGcFmaJgB',
    'Adam - Dominant, Firm',
    { accent: 'American', age: 'middle aged', gender: 'male', use_case: 'social media' },
    'A bright tenor with a firm, confident delivery.',
  ),
  premade(
    'TX3LPaxmHKxFdv7VOQHJ',
    'Liam - Energetic, Social Media Creator',
    { accent: 'American', age: 'young', gender: 'male', use_case: 'social media' },
    'A young adult with energy and warmth, suited to reels and shorts.',
  ),
  premade(
    'pFZP5JQG7iQjIQuC4Bku',
    'Lily - Velvety Actress',
    { accent: 'British', age: 'middle aged', gender: 'female', use_case: 'informative educational' },
    'Velvety British voice with a touch of drama.',
  ),
];

export function voiceBody(voice: FakeVoice): Record<string, unknown> {
  return {
    ...voice,
    samples: null,
    fine_tuning: {
      is_allowed_to_fine_tune: true,
      state: { eleven_multilingual_v2: 'fine_tuned' },
      verification_failures: [],
      verification_attempts_count: 0,
      manual_verification_requested: false,
    },
    available_for_tiers: [],
    settings: { stability: 0.5, similarity_boost: 0.75, style: 0, use_speaker_boost: true, speed: 1 },
    sharing: null,
    high_quality_base_model_ids: ['eleven_multilingual_v2', 'eleven_turbo_v2_5', 'eleven_flash_v2_5'],
    verified_languages: [
      { language: 'en', model_id: 'eleven_multilingual_v2', accent: 'british', locale: 'en-GB', preview_url: null },
    ],
    is_owner: false,
    is_legacy: false,
    is_mixed: false,
    created_at_unix: null,
  };
}

const language = (language_id: string, name: string) => ({ language_id, name });
const LANGUAGES_29 = [
  language('en', 'English'),
  language('ja', 'Japanese'),
  language('zh', 'Chinese'),
  language('de', 'German'),
  language('hi', 'Hindi'),
  language('fr', 'French'),
];

function model(model_id: string, name: string, max: number, tts = true): Record<string, unknown> {
  return {
    model_id,
    name,
    can_be_finetuned: true,
    can_do_text_to_speech: tts,
    can_do_voice_conversion: !tts,
    can_use_style: true,
    can_use_speaker_boost: true,
    serves_pro_voices: false,
    token_cost_factor: 1,
    description: `${name} model`,
    requires_alpha_access: false,
    max_characters_request_free_user: Math.min(max, 2500),
    max_characters_request_subscribed_user: max,
    maximum_text_length_per_request: max,
    languages: LANGUAGES_29,
    model_rates: { character_cost_multiplier: 1 },
    concurrency_group: 'standard',
  };
}

/** GET /v1/models answers a top-level array. */
export const MODELS = [
  model('eleven_multilingual_v2', 'Eleven Multilingual v2', 10_000),
  model('eleven_flash_v2_5', 'Eleven Flash v2.5', 40_000),
  model('eleven_turbo_v2_5', 'Eleven Turbo v2.5', 40_000),
  model('eleven_v3', 'Eleven v3', 5_000),
  model('eleven_multilingual_sts_v2', 'Eleven Multilingual v2 (speech to speech)', 10_000, false),
];

export const SUBSCRIPTION = {
  tier: 'creator',
  character_count: 17231,
  character_limit: 100000,
  max_character_limit_extension: 10000,
  max_credit_limit_extension: 10000,
  can_extend_character_limit: true,
  allowed_to_extend_character_limit: true,
  next_character_count_reset_unix: 1798761600,
  voice_slots_used: 1,
  professional_voice_slots_used: 0,
  professional_voice_slots_used_in_workspace: 0,
  voice_limit: 30,
  max_voice_add_edits: 230,
  voice_add_edit_counter: 12,
  professional_voice_limit: 1,
  can_extend_voice_limit: false,
  can_use_instant_voice_cloning: true,
  can_use_professional_voice_cloning: true,
  currency: 'usd',
  current_overage: { amount: '0', currency: 'usd' },
  status: 'active',
  billing_period: 'monthly_period',
  character_refresh_period: 'monthly_period',
  open_invoices: [],
  has_open_invoices: false,
};

export const OUTPUT_FORMATS = new Set([
  'alaw_8000',
  'mp3_22050_32',
  'mp3_24000_48',
  'mp3_44100_128',
  'mp3_44100_192',
  'mp3_44100_32',
  'mp3_44100_64',
  'mp3_44100_96',
  'opus_48000_128',
  'opus_48000_192',
  'opus_48000_32',
  'opus_48000_64',
  'opus_48000_96',
  'pcm_16000',
  'pcm_22050',
  'pcm_24000',
  'pcm_32000',
  'pcm_44100',
  'pcm_48000',
  'pcm_8000',
  'ulaw_8000',
  'wav_16000',
  'wav_22050',
  'wav_24000',
  'wav_32000',
  'wav_44100',
  'wav_48000',
  'wav_8000',
]);
