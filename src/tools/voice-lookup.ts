import { InvalidArgumentsError } from '../errors.js';
import type { ToolContext } from './define-tool.js';

export interface ResolvedVoice {
  readonly voiceId: string;
  /** Known when the voice was found by name. */
  readonly name: string | undefined;
}

/** How a summary names the voice: `Rachel (21m00Tcm4TlvDq8ikWAM)` when the name is known, else the id. */
export function voiceLabel(voice: ResolvedVoice): string {
  return voice.name ? `${voice.name} (${voice.voiceId})` : voice.voiceId;
}

/**
 * voice_id as given (a wrong one surfaces as "voice not found" from the paid call, which bills nothing),
 * voice_name by an exact, case-insensitive match in the caller's library, else the default voice.
 */
export async function resolveVoice(
  args: { voice_id?: string | undefined; voice_name?: string | undefined },
  ctx: ToolContext,
): Promise<ResolvedVoice> {
  if (args.voice_id) return { voiceId: args.voice_id, name: undefined };
  if (!args.voice_name) return { voiceId: ctx.defaults.voiceId, name: undefined };

  const wanted = args.voice_name;
  // Plain HTTP, like text_to_speech itself: this lookup is on the first-audio path (src/elevenlabs/direct.ts).
  const found = await ctx.http((api) => api.searchVoices(wanted));
  const exact = found.find((voice) => voice.name?.toLowerCase() === wanted.toLowerCase());
  if (exact) return { voiceId: exact.voiceId, name: exact.name };

  const near = found
    .slice(0, 5)
    .map((voice) => `${voice.name ?? '(unnamed)'} (${voice.voiceId})`)
    .join(', ');
  throw new InvalidArgumentsError(
    near
      ? `No voice is named "${wanted}" in your library. Close matches: ${near}. Pass one of these as voice_id.`
      : `No voice is named "${wanted}" in your library. Use search_voices to list your voices, or search_voice_library for shared ones.`,
  );
}
