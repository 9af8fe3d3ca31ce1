import { InvalidArgumentsError } from '../errors/index.js';
import type { ToolContext } from './define-tool.js';
import { voiceIdField, voiceNameField } from './shared-inputs.js';

export interface ResolvedVoice {
  readonly voiceId: string;
  /** Known when the voice was found by name. */
  readonly name: string | undefined;
}

/** What `voice_name` means, for the tools that take one. */
export const VOICE_NAME_DESCRIPTION =
  'Voice name in your library, case-insensitive: whole ("George - Warm, Captivating Storyteller"), the part before " ' +
  '- " ("George"), ' +
  'or a prefix only one voice has; an ambiguous name is refused with the matches. One extra lookup: prefer voice_id.';

/**
 * The voice_id and voice_name input fields of a tool that speaks in a voice, `voiceIdDescription` saying
 * what voice_id is for in that tool.
 */
export function voiceInputShape(voiceIdDescription: string) {
  return {
    voice_id: voiceIdField.optional().describe(voiceIdDescription),
    voice_name: voiceNameField.optional().describe(VOICE_NAME_DESCRIPTION),
  };
}

/** The voice arguments of the tools that speak in a voice: voice_id, voice_name, or neither. */
export interface VoiceArgs {
  readonly voice_id?: string | undefined;
  readonly voice_name?: string | undefined;
}

/** voice_id and voice_name both name the voice: refused when both are given, before anything else is checked. */
export function refuseBothVoices(args: VoiceArgs): void {
  if (args.voice_id && args.voice_name) throw new InvalidArgumentsError('Give voice_id or voice_name, not both.');
}

/** The voice as a result's structuredContent names it. */
export function voiceFields(voice: ResolvedVoice): { voice_id: string; voice_name: string | null } {
  return { voice_id: voice.voiceId, voice_name: voice.name ?? null };
}

/** How a summary names the voice: `Rachel (21m00Tcm4TlvDq8ikWAM)` when the name is known, else the id. */
export function voiceLabel(voice: ResolvedVoice): string {
  return voice.name ? `${voice.name} (${voice.voiceId})` : voice.voiceId;
}

/**
 * voice_id as given (a wrong one surfaces as "voice not found" from the paid call, which bills nothing),
 * voice_name looked up in the caller's library (see matchVoiceName), else the default voice.
 */
export async function resolveVoice(args: VoiceArgs, ctx: ToolContext): Promise<ResolvedVoice> {
  if (args.voice_id) return { voiceId: args.voice_id, name: undefined };
  if (!args.voice_name) return { voiceId: ctx.defaults.voiceId, name: undefined };

  const wanted = args.voice_name.trim();
  // Plain HTTP, like text_to_speech itself: this lookup is on the first-audio path (src/elevenlabs/direct.ts).
  const found = await ctx.http((api) => api.searchVoices(wanted));
  return matchVoiceName(wanted, found);
}

type Candidate = { readonly voiceId: string; readonly name: string | undefined };

/** How many candidates an ambiguity error names. */
const MAX_LISTED = 10;

/**
 * ElevenLabs names premade voices "George - Warm, Captivating Storyteller", so a prompt that says "George"
 * must find that voice. Rules, in order, all case-insensitive; the first that matches anything decides:
 * 1. the whole name equals voice_name;
 * 2. the name before " - " equals voice_name;
 * 3. the name starts with voice_name.
 * One voice: that voice. Several: refused, listing them (a guess could bill the wrong voice). None: refused,
 * listing what the search found.
 */
export function matchVoiceName(wanted: string, found: readonly Candidate[]): ResolvedVoice {
  const key = wanted.trim().toLowerCase();
  const named = found.filter((voice): voice is Candidate & { name: string } => typeof voice.name === 'string');
  const rules: Array<[string, (name: string) => boolean]> = [
    ['are named', (name) => name === key],
    ['are named, before " - ",', (name) => baseName(name) === key],
    ['have a name starting with', (name) => name.startsWith(key)],
  ];
  for (const [how, matches] of rules) {
    const hits = named.filter((voice) => matches(voice.name.trim().toLowerCase()));
    if (hits.length === 1) return { voiceId: hits[0]!.voiceId, name: hits[0]!.name };
    if (hits.length > 1) {
      const shown = [...hits]
        .sort((a, b) => a.name.localeCompare(b.name))
        .slice(0, MAX_LISTED)
        .map(describeCandidate)
        .join('; ');
      const more = hits.length > MAX_LISTED ? ` and ${hits.length - MAX_LISTED} more` : '';
      throw new InvalidArgumentsError(
        `voice_name "${wanted}" is ambiguous: ${hits.length} voices in your library ${how} "${wanted}": ` +
          `${shown}${more}. Pass the voice_id of the one you mean, or its full name.`,
      );
    }
  }

  const near = found.slice(0, 5).map(describeCandidate).join('; ');
  throw new InvalidArgumentsError(
    near
      ? `No voice is named "${wanted}" in your library. Close matches: ${near}. Pass one of these as voice_id.`
      : `No voice is named "${wanted}" in your library. Use search_voices to list your voices, or ` +
          `search_voice_library for shared ones.`,
  );
}

/** "george - warm, captivating storyteller" -> "george". */
function baseName(name: string): string {
  const dash = name.indexOf(' - ');
  return (dash < 0 ? name : name.slice(0, dash)).trim();
}

function describeCandidate(voice: Candidate): string {
  return `${voice.name ?? '(unnamed)'} (${voice.voiceId})`;
}
