import { z } from 'zod';
import { fetchWithinDeadline, type ClientOptions } from './client.js';
import type { ModelInfo } from './models.js';
import { VERSION } from '../version.js';

/**
 * Plain HTTP for the three endpoints on the way to a first audio file: text to speech, the model list
 * (for the per-model text limit) and a voice search by name. Everything else goes through the ElevenLabs
 * SDK. The reason is the cost of loading the SDK on a cold start: even with its schemas built lazily
 * (scripts/lazy-reexports.mjs) it takes about 200 ms and 40 MB more, while one text_to_speech needs none
 * of it (bench/REPORT.md has the figures). This stays small on purpose: the requests are the ones the SDK
 * sends (the text_to_speech tests check the bytes on the wire against the fake API), and failures are
 * thrown in the SDK's error shape so that `toToolError` maps both the same way.
 */
export interface DirectApi {
  textToSpeech(request: SpeechRequest): Promise<Speech>;
  listModels(): Promise<ModelInfo[]>;
  /** Voices of the caller's library matching `search` (at most 100). */
  searchVoices(search: string): Promise<Array<{ voiceId: string; name: string | undefined }>>;
}

/** POST /v1/text-to-speech/{voice_id}/stream or .../with-timestamps; `body` as the API takes it (snake_case). */
export interface SpeechRequest {
  readonly voiceId: string;
  readonly outputFormat: string;
  readonly withTimestamps: boolean;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface CharacterAlignment {
  readonly characters: string[];
  readonly character_start_times_seconds: number[];
  readonly character_end_times_seconds: number[];
}

export interface Speech {
  readonly audio: Uint8Array;
  readonly headers: Headers;
  readonly alignment: CharacterAlignment | null;
  readonly normalizedAlignment: CharacterAlignment | null;
}

/** An HTTP error from ElevenLabs, in the shape of the SDK's ElevenLabsError (see errors/from-elevenlabs.ts). */
class UpstreamHttpError extends Error {
  override readonly name = 'ElevenLabsError';
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly rawResponse: { headers: Headers },
  ) {
    super(`Status code: ${statusCode}`);
  }
}

/** A 2xx answer this client cannot read, named as the SDK names its own. */
class UnreadableResponseError extends Error {
  override readonly name = 'ParseError';
}

const Alignment = z.object({
  characters: z.array(z.string()),
  character_start_times_seconds: z.array(z.number()),
  character_end_times_seconds: z.array(z.number()),
});
const SpeechWithTimestamps = z.object({
  audio_base64: z.string(),
  alignment: Alignment.nullish(),
  normalized_alignment: Alignment.nullish(),
});
const Models = z.array(
  z.object({
    model_id: z.string(),
    name: z.string().nullish(),
    description: z.string().nullish(),
    can_do_text_to_speech: z.boolean().nullish(),
    can_do_voice_conversion: z.boolean().nullish(),
    maximum_text_length_per_request: z.number().nullish(),
    max_characters_request_subscribed_user: z.number().nullish(),
    max_characters_request_free_user: z.number().nullish(),
    languages: z.array(z.object({ language_id: z.string(), name: z.string() })).nullish(),
  }),
);
const Voices = z.object({ voices: z.array(z.object({ voice_id: z.string(), name: z.string().nullish() })) });

export function createDirectApi(
  options: ClientOptions,
  readAudio: (stream: ReadableStream<Uint8Array>) => Promise<Uint8Array>,
): DirectApi {
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<Response> => {
    const url = new URL(`${options.baseUrl}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = {
      'xi-api-key': options.apiKey,
      'user-agent': `elevenlabs-mcp-lambda/${VERSION}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchWithinDeadline(
      url,
      { method, headers, body: body === undefined ? undefined : JSON.stringify(body) },
      options.deadline,
      fetch,
      options.observe,
      options.budgets?.(url.pathname),
    );
    if (!response.ok)
      throw new UpstreamHttpError(response.status, await errorBody(response), { headers: response.headers });
    return response;
  };

  const json = async <T>(response: Response, schema: z.ZodType<T>): Promise<T> => {
    let value: unknown;
    try {
      value = await response.json();
    } catch (error) {
      throw new UnreadableResponseError('response: not JSON', { cause: error });
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new UnreadableResponseError(`response: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
    return parsed.data;
  };

  return {
    async textToSpeech(request) {
      // Audio alone comes from the streaming endpoint (same body, same audio): its first bytes arrive
      // within a second, so a stalled generation is told apart from a long one by the idle budget
      // instead of waiting out the whole generation time (see budgetFor in client.ts).
      const variant = request.withTimestamps ? '/with-timestamps' : '/stream';
      const path = `/v1/text-to-speech/${encodeURIComponent(request.voiceId)}${variant}`;
      const response = await send('POST', path, { output_format: request.outputFormat }, request.body);
      if (!request.withTimestamps) {
        if (!response.body) throw new UnreadableResponseError('response: no body');
        return {
          audio: await readAudio(response.body),
          headers: response.headers,
          alignment: null,
          normalizedAlignment: null,
        };
      }
      const data = await json(response, SpeechWithTimestamps);
      return {
        audio: new Uint8Array(Buffer.from(data.audio_base64, 'base64')),
        headers: response.headers,
        alignment: data.alignment ?? null,
        normalizedAlignment: data.normalized_alignment ?? null,
      };
    },

    async listModels() {
      const models = await json(await send('GET', '/v1/models', {}), Models);
      return models.map((m) => ({
        modelId: m.model_id,
        name: m.name ?? undefined,
        description: m.description ?? undefined,
        canDoTextToSpeech: m.can_do_text_to_speech ?? false,
        canDoVoiceConversion: m.can_do_voice_conversion ?? false,
        // `maximum_text_length_per_request` is the current field; older answers only carry the per-tier ones.
        maxCharacters:
          m.maximum_text_length_per_request ??
          m.max_characters_request_subscribed_user ??
          m.max_characters_request_free_user ??
          undefined,
        languages: (m.languages ?? []).map((l) => ({ languageId: l.language_id, name: l.name })),
      }));
    },

    async searchVoices(search) {
      const page = await json(await send('GET', '/v2/voices', { search, page_size: '100' }), Voices);
      return page.voices.map((voice) => ({ voiceId: voice.voice_id, name: voice.name ?? undefined }));
    },
  };
}

/** ElevenLabs' error body, parsed when it is JSON, as the SDK keeps it. */
async function errorBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!/json/i.test(response.headers.get('content-type') ?? '')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
