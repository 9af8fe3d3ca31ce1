import { createHash } from 'node:crypto';
import { OUTPUT_FORMATS } from '../elevenlabs-fixtures.js';
import type { Account, FakeElevenLabs } from '../fake-elevenlabs.js';
import { detail, type FakeReply, type RecordedRequest } from '../fake-wire.js';
import { DEFAULT_MODEL, draftPlan, isIntIn, isRecord, planProblem } from './music-plans.js';

/**
 * Eleven Music: composing (POST /v1/music, JSON in, audio out), composition plans (POST /v1/music/plan),
 * music for a video (POST /v1/music/video-to-music, multipart) and uploading a song for inpainting
 * (POST /v1/music/upload, multipart; enterprise plans only). Checks what the API documents: exactly one
 * of prompt and composition_plan, lengths of 3 s to 10 min, parts of 3 s to 2 min, each plan format
 * with its own models (checked and drafted in music-plans.ts), at most 10 tags and 200 MB of video.
 */

const MODELS = ['music_v1', 'music_v2', 'music_v2_5'];
/** Text-to-speech's formats without WAV (AllowedOutputFormats). */
const SOUND_FORMATS = new Set([...OUTPUT_FORMATS].filter((f) => !f.startsWith('wav_')));
/** Music adds 48 kHz MP3 and "auto" (MusicComposeRequestOutputFormat). */
const MUSIC_FORMATS = new Set([
  ...SOUND_FORMATS,
  'mp3_48000_128',
  'mp3_48000_192',
  'mp3_48000_240',
  'mp3_48000_320',
  'auto',
]);
const MAX_VIDEO_BYTES = 200 * 1024 * 1024;

/** Keys whose account has the inpainting feature (an enterprise plan), per fake. */
const inpaintingKeys = new WeakMap<FakeElevenLabs, Set<string>>();

/** Gives `key`'s account the inpainting feature; every other account is refused as a non-enterprise one. */
export function grantInpainting(fake: FakeElevenLabs, key: string): void {
  inpaintingKeys.set(fake, (inpaintingKeys.get(fake) ?? new Set()).add(key));
}

/** What the fake answers an account without inpainting (the API documents the restriction, not the body). */
export const INPAINTING_REFUSAL = {
  status: 'feature_not_available',
  message: 'Music inpainting is only available to enterprise clients with access to the inpainting feature.',
};

export function installMusicRoutes(fake: FakeElevenLabs): void {
  const canInpaint = (account: Account): boolean => inpaintingKeys.get(fake)?.has(account.key) ?? false;

  fake.route('POST', /^\/v1\/music$/, (request, _params, account) => {
    const format = request.query.get('output_format') ?? 'auto';
    if (!MUSIC_FORMATS.has(format))
      return validation(['query', 'output_format'], 'value is not a valid enumeration member');
    const body = request.json;
    if (!isRecord(body)) return validation(['body'], 'field required');
    const { prompt, composition_plan: plan, music_length_ms: length, seed, force_instrumental: instrumental } = body;
    if ((prompt === undefined) === (plan === undefined))
      return validation(['body'], 'Exactly one of prompt or composition_plan must be provided.');
    if (prompt !== undefined && (typeof prompt !== 'string' || prompt.length > 4100))
      return validation(['body', 'prompt'], 'ensure this value has at most 4100 characters');
    if (length !== undefined) {
      if (plan !== undefined)
        return validation(['body', 'music_length_ms'], 'music_length_ms can only be used with prompt');
      if (!isIntIn(length, 3_000, 600_000))
        return validation(['body', 'music_length_ms'], 'Must be between 3000ms and 600000ms');
    }
    if (seed !== undefined && (prompt !== undefined || !isIntIn(seed, 0, 2_147_483_647)))
      return validation(['body', 'seed'], 'seed cannot be used in conjunction with prompt');
    if (instrumental !== undefined && (plan !== undefined || typeof instrumental !== 'boolean'))
      return validation(['body', 'force_instrumental'], 'force_instrumental can only be used with prompt');
    const model = modelWithPlan(body, 'composition_plan');
    if (typeof model !== 'string') return model;
    if (body.store_for_inpainting === true && !canInpaint(account))
      return detail(403, INPAINTING_REFUSAL.status, INPAINTING_REFUSAL.message);
    if (account.status === 'quota_exceeded')
      return detail(
        401,
        'quota_exceeded',
        'This request exceeds your quota. You have 12 credits remaining, while 3000 credits are required for this ' +
          'request.',
      );

    const audio = fake.audioFor(`music:${request.body.toString('utf8')}`);
    account.audio.push(audio);
    const songId = `song_${createHash('sha256').update(audio).digest('hex').slice(0, 20)}`;
    return {
      headers: {
        'content-type': format.startsWith('mp3') || format === 'auto' ? 'audio/mpeg' : 'application/octet-stream',
        'request-id': `req_${songId.slice(5, 21)}`,
        ...(body.store_for_inpainting === true ? { 'song-id': songId } : {}),
      },
      body: audio,
    };
  });

  fake.route('POST', /^\/v1\/music\/plan$/, (request) => {
    const body = request.json;
    if (!isRecord(body) || typeof body.prompt !== 'string') return validation(['body', 'prompt'], 'field required');
    const length = body.music_length_ms;
    if (length !== undefined && !isIntIn(length, 3_000, 600_000))
      return validation(['body', 'music_length_ms'], 'Must be between 3000ms and 600000ms');
    const model = modelWithPlan(body, 'source_composition_plan');
    if (typeof model !== 'string') return model;
    return { body: draftPlan(body.prompt, typeof length === 'number' ? length : 30_000, model) };
  });

  fake.route('POST', /^\/v1\/music\/video-to-music$/, async (request, _params, account) => {
    const format = request.query.get('output_format') ?? 'mp3_44100_128';
    if (!SOUND_FORMATS.has(format))
      return validation(['query', 'output_format'], 'value is not a valid enumeration member');
    const form = await formOf(request);
    if (!form) return validation(['body', 'videos'], 'field required');
    const videos = form.getAll('videos');
    if (videos.length === 0 || !videos.every((v): v is File => v instanceof File))
      return validation(['body', 'videos'], 'field required');
    if (videos.length > 10) return validation(['body', 'videos'], 'A maximum of 10 videos is allowed.');
    if (videos.some((v) => !v.type.startsWith('video/')))
      return detail(400, 'invalid_file_type', 'Only video files are supported.');
    if (videos.reduce((sum, v) => sum + v.size, 0) > MAX_VIDEO_BYTES)
      return detail(413, 'file_too_large', 'The combined video size must not exceed 200MB.');
    const description = form.get('description');
    if (typeof description === 'string' && description.length > 4100)
      return validation(['body', 'description'], 'ensure this value has at most 4100 characters');
    if (form.getAll('tags').length > 10) return validation(['body', 'tags'], 'A maximum of 10 tags is allowed.');
    const model = form.get('model_id');
    if (model !== null && !MODELS.includes(String(model)))
      return validation(['body', 'model_id'], 'value is not a valid enumeration member');
    for (const flag of ['add_sfx', 'separate_tracks', 'use_audio_as_reference', 'sign_with_c2pa']) {
      const value = form.get(flag);
      if (value !== null && value !== 'true' && value !== 'false')
        return validation(['body', flag], 'value could not be parsed to a boolean');
    }
    if (account.status === 'quota_exceeded') return detail(401, 'quota_exceeded', 'This request exceeds your quota.');

    const digest = createHash('sha256');
    for (const video of videos) digest.update(Buffer.from(await video.arrayBuffer()));
    const audio = fake.audioFor(
      `video-to-music:${digest.digest('hex')}:${description ?? ''}:${form.getAll('tags').join(',')}`,
    );
    account.audio.push(audio);
    return {
      headers: {
        'content-type': format.startsWith('mp3') ? 'audio/mpeg' : 'application/octet-stream',
        'request-id': 'req_video_to_music',
      },
      body: audio,
    };
  });

  fake.route('POST', /^\/v1\/music\/upload$/, async (request, _params, account) => {
    const form = await formOf(request);
    const file = form?.get('file');
    if (!form || !(file instanceof File)) return validation(['body', 'file'], 'field required');
    if (!file.type.startsWith('audio/')) return detail(400, 'invalid_file_type', 'Only audio files are supported.');
    const extract = form.get('extract_composition_plan');
    if (extract !== null && !['true', 'false', ...MODELS].includes(String(extract)))
      return validation(['body', 'extract_composition_plan'], 'value is not a valid enumeration member');
    for (const flag of ['with_timestamps', 'with_waveform_visual']) {
      const value = form.get(flag);
      if (value !== null && value !== 'true' && value !== 'false')
        return validation(['body', flag], 'value could not be parsed to a boolean');
    }
    if (!canInpaint(account)) return detail(403, INPAINTING_REFUSAL.status, INPAINTING_REFUSAL.message);

    const bytes = Buffer.from(await file.arrayBuffer());
    const songId = `song_${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}`;
    const planModel =
      extract === 'true' ? 'music_v1' : extract === null || extract === 'false' ? undefined : String(extract);
    return {
      body: {
        song_id: songId,
        ...(planModel ? { composition_plan: draftPlan(`uploaded ${file.name}`, 24_000, planModel) } : {}),
        ...(form.get('with_timestamps') === 'true'
          ? {
              words_timestamps: ['la', 'la', 'land'].map((word, i) => ({
                word,
                start_ms: 1_000 + i * 400,
                end_ms: 1_300 + i * 400,
              })),
            }
          : {}),
      },
    };
  });
}

/**
 * The body's model_id (music_v1 when it names none), with the plan it carries in `planField` checked against
 * that model; or the 422 to answer.
 */
function modelWithPlan(
  body: Record<string, unknown>,
  planField: 'composition_plan' | 'source_composition_plan',
): string | FakeReply {
  const model = body.model_id ?? DEFAULT_MODEL;
  if (typeof model !== 'string' || !MODELS.includes(model))
    return validation(['body', 'model_id'], 'value is not a valid enumeration member');
  const plan = body[planField];
  if (plan !== undefined) {
    const problem = planProblem(plan, model);
    if (problem) return validation(['body', planField, ...problem.at], problem.msg);
  }
  return model;
}

/** The request's multipart form, or undefined when it is not one. */
async function formOf(request: RecordedRequest): Promise<FormData | undefined> {
  if (!String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return undefined;
  return request.form().catch(() => undefined);
}

/** FastAPI's 422: `{"detail":[{"loc":[...],"msg":...,"type":...}]}`. */
function validation(loc: Array<string | number>, msg: string): FakeReply {
  return { status: 422, body: { detail: [{ loc, msg, type: 'value_error' }] } };
}
