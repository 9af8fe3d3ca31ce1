import { createHash } from 'node:crypto';
import { MODELS, OUTPUT_FORMATS, SUBSCRIPTION, VOICES, voiceBody } from '../elevenlabs-fixtures.js';
import type { Account, FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, type RecordedRequest, validation, voiceNotFound } from '../fake-wire.js';

/**
 * The core endpoints, the ones the first audio needs: models (GET /v1/models), the subscription, voice
 * search (GET /v2/voices) and lookup (GET /v1/voices/{voice_id}), and text to speech
 * (POST /v1/text-to-speech/{voice_id}, with its /stream and /with-timestamps variants).
 */
export function installCoreRoutes(fake: FakeElevenLabs): void {
  fake.route('GET', /^\/v1\/models$/, () => ({ body: MODELS }));

  fake.route('GET', /^\/v1\/user\/subscription$/, () => ({ body: SUBSCRIPTION }));

  fake.route('GET', /^\/v2\/voices$/, (request) => {
    const search = request.query.get('search')?.toLowerCase();
    const pageSize = Number(request.query.get('page_size') ?? 10);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      return validation('query', 'page_size', 'ensure this value is between 1 and 100');
    }
    const sort = request.query.get('sort') ?? 'created_at_unix';
    if (!['name', 'created_at_unix'].includes(sort)) return validation('query', 'sort', 'invalid sort field');
    const direction = request.query.get('sort_direction') ?? 'desc';
    const matching = VOICES.filter(
      (v) =>
        !search ||
        [v.name, v.description ?? '', v.category, ...Object.values(v.labels)].some((f) =>
          f.toLowerCase().includes(search),
        ),
    ).sort((a, b) => (direction === 'asc' ? 1 : -1) * a.name.localeCompare(b.name));
    const start = Number(request.query.get('next_page_token') ?? 0) || 0;
    const page = matching.slice(start, start + pageSize);
    const hasMore = start + pageSize < matching.length;
    return {
      body: {
        voices: page.map(voiceBody),
        has_more: hasMore,
        total_count: matching.length,
        next_page_token: hasMore ? String(start + pageSize) : null,
      },
    };
  });

  fake.route('GET', /^\/v1\/voices\/([^/]+)$/, (_request, [voiceId]) => {
    const voice = VOICES.find((v) => v.voice_id === voiceId);
    return voice ? { body: voiceBody(voice) } : voiceNotFound(voiceId!);
  });

  fake.route('POST', /^\/v1\/text-to-speech\/([^/]+)$/, (request, [voiceId], account) => {
    const generated = speak(fake, request, voiceId!, account);
    if ('reply' in generated) return generated.reply;
    return { headers: generated.headers, body: generated.audio };
  });

  // The streaming variant takes the same query and body and answers the same audio, chunked, as soon
  // as the first of it is made.
  fake.route('POST', /^\/v1\/text-to-speech\/([^/]+)\/stream$/, (request, [voiceId], account) => {
    const generated = speak(fake, request, voiceId!, account);
    if ('reply' in generated) return generated.reply;
    return { headers: generated.headers, body: generated.audio, stream: true };
  });

  fake.route('POST', /^\/v1\/text-to-speech\/([^/]+)\/with-timestamps$/, (request, [voiceId], account) => {
    const generated = speak(fake, request, voiceId!, account);
    if ('reply' in generated) return generated.reply;
    const characters = [...generated.text];
    const alignment = {
      characters,
      character_start_times_seconds: characters.map((_, i) => Number((i * 0.07).toFixed(3))),
      character_end_times_seconds: characters.map((_, i) => Number(((i + 1) * 0.07).toFixed(3))),
    };
    return {
      headers: { ...generated.headers, 'content-type': 'application/json' },
      body: { audio_base64: generated.audio.toString('base64'), alignment, normalized_alignment: alignment },
    };
  });
}

/** What POST /v1/text-to-speech/{voice_id} checks and produces, shared by its variants. */
function speak(
  fake: FakeElevenLabs,
  request: RecordedRequest,
  voiceId: string,
  account: Account,
): { reply: FakeReply } | { text: string; audio: Buffer; headers: Record<string, string> } {
  if (account.status === 'quota_exceeded') {
    const message =
      'This request exceeds your quota of 10000. You have 12 credits remaining, while 40 credits are required for ' +
      'this request.';
    return { reply: detail(401, 'quota_exceeded', message) };
  }
  const format = request.query.get('output_format') ?? 'mp3_44100_128';
  if (!OUTPUT_FORMATS.has(format))
    return { reply: validation('query', 'output_format', 'value is not a valid enumeration member') };
  const body = request.json as Record<string, unknown> | undefined;
  if (!body || typeof body.text !== 'string') return { reply: validation('body', 'text', 'field required') };
  const modelId = typeof body.model_id === 'string' ? body.model_id : 'eleven_multilingual_v2';
  const model = MODELS.find((m) => m.model_id === modelId);
  if (!model) return { reply: detail(400, 'model_not_found', `A model with model ID ${modelId} does not exist.`) };
  const limit = model.maximum_text_length_per_request as number;
  if ([...body.text].length > limit) {
    return {
      reply: detail(
        400,
        'max_character_limit_exceeded',
        `Text must not exceed ${limit} characters for model ${modelId}.`,
      ),
    };
  }
  const settings = body.voice_settings as Record<string, unknown> | undefined;
  for (const name of ['stability', 'similarity_boost', 'style']) {
    const value = settings?.[name];
    if (value !== undefined && (typeof value !== 'number' || value < 0 || value > 1)) {
      return { reply: validation('body', `voice_settings.${name}`, 'must be between 0 and 1') };
    }
  }
  if (!VOICES.some((v) => v.voice_id === voiceId)) return { reply: voiceNotFound(voiceId) };
  const audio = fake.audioFor(body.text, format);
  account.audio.push(audio);
  return {
    text: body.text,
    audio,
    headers: {
      'content-type': format.startsWith('mp3') ? 'audio/mpeg' : 'application/octet-stream',
      // What the real API sends: `character-cost` (ElevenLabs' text-to-speech cookbook reads it); no x-character-count.
      'character-cost': String([...body.text].length),
      'request-id': `req_${createHash('sha1').update(audio).digest('hex').slice(0, 16)}`,
      'history-item-id': 'hist_1',
    },
  };
}
