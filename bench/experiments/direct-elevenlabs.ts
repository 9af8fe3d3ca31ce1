/**
 * EXPERIMENT (bench --investigate only): what text_to_speech would cost with a minimal direct-HTTP
 * ElevenLabs client instead of the SDK. The investigation builds src/handler.ts with this module in
 * place of src/elevenlabs/sdk.ts, so the handler, the tools, the error mapping and S3 are unchanged.
 *
 * It covers exactly what the text_to_speech path calls (`textToSpeech.convert(...).withRawResponse()`
 * and `models.list()`), with the SDK's shapes: camelCase in, snake_case on the wire, errors carrying
 * `statusCode`, `body` and `rawResponse` as ElevenLabsError does. Anything else throws.
 *
 * With BENCH_PREFETCH_S3=1 it also starts loading the S3 client when it is created, so that loading
 * overlaps the wait for ElevenLabs.
 */

interface Options {
  readonly apiKey: string;
  readonly baseUrl: string;
  readonly headers?: Record<string, string>;
  readonly fetch?: typeof fetch;
}

type Json = Record<string, unknown>;

class DirectHttpError extends Error {
  override name = 'ElevenLabsError';
  constructor(
    readonly statusCode: number,
    readonly body: unknown,
    readonly rawResponse: { headers: Headers },
  ) {
    super(`Status code: ${statusCode}`);
  }
}

export class ElevenLabsClient {
  private readonly call: (path: string, init: RequestInit) => Promise<Response>;

  constructor(options: Options) {
    if (process.env.BENCH_PREFETCH_S3 === '1') {
      // The same modules the S3 kit imports (src/storage/s3.ts): the later import() finds them loaded.
      void import('@aws-sdk/client-s3');
      void import('@aws-sdk/s3-request-presigner');
    }
    const doFetch = options.fetch ?? fetch;
    this.call = async (path, init) => {
      const response = await doFetch(`${options.baseUrl}${path}`, {
        ...init,
        headers: { 'xi-api-key': options.apiKey, ...options.headers, ...(init.headers as Record<string, string>) },
      });
      if (!response.ok) {
        const text = await response.text();
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: keep the text
        }
        throw new DirectHttpError(response.status, body, { headers: response.headers });
      }
      return response;
    };
  }

  readonly textToSpeech = {
    convert: (voiceId: string, request: Json) => {
      const { outputFormat, text, modelId, voiceSettings, languageCode, seed, previousText, nextText } = request as Record<string, any>;
      const promise = this.call(`/v1/text-to-speech/${encodeURIComponent(voiceId)}${outputFormat ? `?output_format=${encodeURIComponent(outputFormat)}` : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'audio/*' },
        body: JSON.stringify(
          dropUndefined({
            text,
            model_id: modelId,
            voice_settings: voiceSettings && {
              stability: voiceSettings.stability,
              similarity_boost: voiceSettings.similarityBoost,
              style: voiceSettings.style,
              use_speaker_boost: voiceSettings.useSpeakerBoost,
              speed: voiceSettings.speed,
            },
            language_code: languageCode,
            seed,
            previous_text: previousText,
            next_text: nextText,
          }),
        ),
      });
      return {
        withRawResponse: async () => {
          const response = await promise;
          return { data: response.body!, rawResponse: { headers: response.headers } };
        },
      };
    },
    convertWithTimestamps: (): never => unsupported('textToSpeech.convertWithTimestamps'),
  };

  readonly models = {
    list: async () => {
      const models = (await (await this.call('/v1/models', { method: 'GET' })).json()) as Json[];
      return models.map(camelize);
    },
  };
}

function unsupported(what: string): never {
  throw new Error(`${what} is not part of the direct-HTTP experiment`);
}

function dropUndefined(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/** snake_case keys to camelCase, deeply: the SDK's deserialization, for the fields our mapping reads. */
function camelize(value: any): any {
  if (Array.isArray(value)) return value.map(camelize);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()), camelize(v)]));
}
