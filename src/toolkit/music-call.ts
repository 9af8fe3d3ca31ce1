import type { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { z } from 'zod';
import { FeatureNotInPlanError, type ToolError, type UpstreamRefusal } from '../errors/index.js';
import type { ToolContext } from './define-tool.js';
import { generateAudio, type GeneratedAudio } from './generated-audio.js';
import { generatedAudioShape } from './results.js';

/** The structured fields of a result holding generated music. */
export const musicAudioShape = {
  ...generatedAudioShape,
  model_id: z.string().describe('The model used (always sent explicitly).'),
};

/** What a 402 (other than quota) means for every music call. */
const MUSIC_PLAN = 'The music API needs a paid ElevenLabs plan';

/**
 * A music call answering audio (`(client) => client.music.compose(request).withRawResponse()`), read
 * whole within the request's deadline, its refusals mapped as `musicCall` maps them.
 */
export function musicAudio(
  ctx: ToolContext,
  call: (client: ElevenLabsClient) => Promise<{ data: ReadableStream<Uint8Array>; rawResponse: { headers: Headers } }>,
  refuse?: (refusal: UpstreamRefusal) => ToolError | undefined,
): Promise<GeneratedAudio> {
  return generateAudio(ctx, call, { planNeeds: MUSIC_PLAN, refuse });
}

/**
 * `ctx.elevenlabs` for the music endpoints: a 402 says the music API needs a paid plan, and `refuse`
 * maps what only this tool knows the meaning of (a 403 for inpainting). Refusals of content (named
 * artists, copyrighted lyrics) are mapped with ElevenLabs' suggested rewording by the taxonomy itself.
 */
export function musicCall<T>(
  ctx: ToolContext,
  call: (client: ElevenLabsClient) => Promise<T>,
  refuse?: (refusal: UpstreamRefusal) => ToolError | undefined,
): Promise<T> {
  return ctx.elevenlabs(call, { planNeeds: MUSIC_PLAN, refuse });
}

/** What an account without music inpainting is told, by the tools that need it. */
export function inpaintingRefused(refusal: UpstreamRefusal, what: string): ToolError {
  return new FeatureNotInPlanError(
    `ElevenLabs refused ${what}: music inpainting (uploading songs, storing them, reusing their parts) is only ` +
      `available to enterprise plans with the inpainting feature` +
      `${refusal.message ? ` (ElevenLabs said: "${refusal.message}")` : ''}. Nothing was stored. ` +
      'To get it, contact ElevenLabs sales at https://elevenlabs.io/contact-sales. Without it, generate new music ' +
      'with compose_music, from a prompt or from a plan made with create_composition_plan.',
    refusal.status,
    refusal.code,
  );
}
