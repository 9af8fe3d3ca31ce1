import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { FeatureNotInPlanError, InvalidInputError, readUpstreamDetail, type ToolError } from '../errors.js';
import type { ToolContext } from './define-tool.js';
import { generateAudio, type GeneratedAudio } from './generated-audio.js';
import { formatField, requestIdField, storedAudioShape } from './results.js';

/** The structured fields of a result holding generated music. */
export const musicAudioShape = {
  ...storedAudioShape,
  format: formatField,
  model_id: z.string().describe('The model used (always sent explicitly).'),
  request_id: requestIdField,
};

/**
 * A music call answering audio (`(client) => client.music.compose(request).withRawResponse()`), read
 * whole within the request's deadline, with the music API's refusals mapped as `musicCall` maps them.
 */
export function musicAudio(
  ctx: ToolContext,
  call: (client: ElevenLabsClient) => Promise<{ data: ReadableStream<Uint8Array>; rawResponse: { headers: Headers } }>,
  refuse?: (refusal: UpstreamRefusal) => ToolError | undefined,
): Promise<GeneratedAudio> {
  return generateAudio({ ...ctx, elevenlabs: (inner) => musicCall(ctx, inner, refuse) }, call);
}

/** An error answer from ElevenLabs, read from the SDK's error before the generic mapping loses its data. */
export interface UpstreamRefusal {
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

interface RefusalWithData extends UpstreamRefusal {
  /** `detail.data`, where the music API puts its suggested rewording. */
  readonly data: Record<string, unknown> | undefined;
}

/**
 * `ctx.elevenlabs` for the music endpoints: their own refusals become messages that say what to do
 * (a prompt or plan refused for copyrighted material, with ElevenLabs' suggested rewording; music not
 * in the caller's plan). `refuse` maps what only this tool knows the meaning of, e.g. a 403.
 */
export function musicCall<T>(
  ctx: ToolContext,
  call: (client: ElevenLabsClient) => Promise<T>,
  refuse?: (refusal: UpstreamRefusal) => ToolError | undefined,
): Promise<T> {
  return ctx.elevenlabs(async (client) => {
    try {
      return await call(client);
    } catch (error) {
      const refusal = readRefusal(error);
      const mapped = refusal && (refuse?.(refusal) ?? musicRefusal(refusal));
      if (!refusal || !mapped) throw error;
      ctx.note({ upstreamStatus: refusal.status });
      throw mapped;
    }
  });
}

function musicRefusal(refusal: RefusalWithData): ToolError | undefined {
  const said = sentence(refusal.message);
  switch (true) {
    case refusal.code === 'bad_prompt': {
      const suggestion = refusal.data?.prompt_suggestion;
      return new InvalidInputError(
        `ElevenLabs refused the prompt: ${said || 'it may name copyrighted material.'}` +
          (typeof suggestion === 'string' ? ` It suggests this prompt instead: "${suggestion.slice(0, 2000)}".` : '') +
          ' Nothing was generated. Describe genre, mood and instruments instead of naming artists, bands or copyrighted lyrics.',
        refusal.status,
        refusal.code,
      );
    }
    case refusal.code === 'bad_composition_plan': {
      const suggestion = JSON.stringify(refusal.data?.composition_plan_suggestion ?? null);
      return new InvalidInputError(
        `ElevenLabs refused the composition plan: ${said || 'it may name copyrighted material.'}` +
          (suggestion !== 'null' && suggestion.length <= 20_000 ? ` It suggests this plan instead (usable as composition_plan): ${suggestion}` : '') +
          ' Nothing was generated. Replace styles or lyrics that name artists or copyrighted works.',
        refusal.status,
        refusal.code,
      );
    }
    // 402 without quota_exceeded: the plan lacks music at all (e.g. "limited_access" for free accounts).
    case refusal.status === 402 && refusal.code !== 'quota_exceeded':
      return new FeatureNotInPlanError(
        `ElevenLabs refused this on the account's current plan: ${said || 'music is not included.'} Nothing was generated. ` +
          'The music API needs a paid ElevenLabs plan; check_subscription shows the current one, and https://elevenlabs.io/app/subscription upgrades it.',
        refusal.status,
        refusal.code,
      );
    default:
      return undefined;
  }
}

function readRefusal(error: unknown): RefusalWithData | undefined {
  const err = error as { statusCode?: unknown; body?: unknown } | undefined;
  if (typeof err?.statusCode !== 'number') return undefined;
  const { code, message } = readUpstreamDetail(err.body);
  const detail = (err.body as { detail?: { data?: unknown } } | undefined)?.detail;
  const data = typeof detail === 'object' && detail !== null && typeof detail.data === 'object' && detail.data !== null ? (detail.data as Record<string, unknown>) : undefined;
  return { status: err.statusCode, code, message, data };
}

function sentence(message: string | undefined): string {
  return message ? (/[.!?]$/.test(message) ? message : `${message}.`) : '';
}

/** What an account without music inpainting is told, by the tools that need it. */
export function inpaintingRefused(refusal: UpstreamRefusal, what: string): ToolError {
  return new FeatureNotInPlanError(
    `ElevenLabs refused ${what}: music inpainting (uploading songs, storing them, reusing their parts) is only available to enterprise plans with the inpainting feature` +
      `${refusal.message ? ` (ElevenLabs said: "${refusal.message}")` : ''}. Nothing was stored. ` +
      'To get it, contact ElevenLabs sales at https://elevenlabs.io/contact-sales. Without it, generate new music with compose_music, from a prompt or from a plan made with create_composition_plan.',
    refusal.status,
    refusal.code,
  );
}
