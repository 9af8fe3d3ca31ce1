import { z } from 'zod';
import { DEFAULT_FORMAT, SPEECH_FORMATS } from '../audio/formats.js';
import { InvalidArgumentsError, quoteForMessage } from '../errors/index.js';
import { compact } from './compact.js';

/**
 * Input fields several tools share. Identifiers are checked strictly before anything goes upstream: a
 * value with a slash, a dot or a query string can only be a mistake or an attempt to reach another path.
 */

export const voiceIdField = z
  .string()
  .regex(/^[A-Za-z0-9]{1,64}$/, 'must be an ElevenLabs voice id: letters and digits only, e.g. JBFqnCBsd6RMkjVDRZzb');

export const modelIdField = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9_.-]{0,63}$/,
    'must be an ElevenLabs model id such as eleven_multilingual_v2 (see list_models)',
  );

export const languageCodeField = z
  .string()
  .regex(/^[A-Za-z]{2,3}$/, 'must be an ISO 639-1 language code such as en, de or ja');

export const voiceNameField = z.string().trim().min(1).max(100);

/** Labels stored on a voice (accent, age, gender, language, use case...): short strings, few of them. */
export const voiceLabelsField = z
  .record(
    z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9_ -]{0,49}$/,
        'label names start with a letter and hold letters, digits, spaces, _ or - (at most 50 characters)',
      ),
    z.string().trim().min(1).max(100),
  )
  .refine((labels) => Object.keys(labels).length <= 20, 'at most 20 labels');

/** Agents-platform ids: `agent_…`, `conv_…`, `phnum_…`, or the older 20-character form. */
const AGENT_PLATFORM_ID = /^[A-Za-z0-9][A-Za-z0-9_]{0,99}$/;

export const agentIdField = z
  .string()
  .regex(
    AGENT_PLATFORM_ID,
    'must be an ElevenLabs agent id such as agent_3701k3ttaq12ewp8b7qv5rfyszkz (list_agents lists them)',
  );

export const conversationIdField = z
  .string()
  .regex(
    AGENT_PLATFORM_ID,
    'must be an ElevenLabs conversation id such as conv_0801k3ttaq12ewp8b7qv5rfyszkz (list_conversations lists them)',
  );

export const phoneNumberIdField = z
  .string()
  .regex(
    AGENT_PLATFORM_ID,
    'must be an ElevenLabs phone number id such as phnum_0901k3ttaq12ewp8b7qv5rfyszkz (list_phone_numbers lists them)',
  );

/** Agent languages include regional variants (pt-br, zh-tw) besides ISO 639-1 codes. */
export const agentLanguageField = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z]{2,4})?$/, 'must be a language code such as en, de or pt-br');

/**
 * The `text` a tool sends to ElevenLabs: not empty, at most `max` characters (`tooLong`, when given, the
 * message beyond that) and not only whitespace (`blank`, the message for that).
 */
export function textField(options: { readonly max: number; readonly tooLong?: string; readonly blank: string }) {
  return z
    .string()
    .min(1, 'text must not be empty')
    .max(options.max, options.tooLong)
    .refine((text) => text.trim() !== '', options.blank);
}

/** Words to narrow a list by, as the list endpoints take them. */
export const searchTextField = z.string().trim().max(200);

/** The output_format of the speech tools that take no telephony-specific advice. */
export const speechFormatField = z
  .enum(SPEECH_FORMATS)
  .default(DEFAULT_FORMAT)
  .describe(
    'codec_samplerate[_bitrate]. mp3_44100_192 needs Creator tier, 44.1 kHz pcm/wav Pro; pcm_* is headerless ' +
      '16-bit mono.',
  );

export const seedField = z.number().int().min(0).max(4294967295).describe('For best-effort deterministic output.');

/** The voice settings ElevenLabs takes with a generation; the tools' arguments have the same names. */
export interface VoiceSettings {
  readonly stability: number;
  readonly similarity_boost: number;
  readonly style: number;
  readonly use_speaker_boost: boolean;
  readonly speed: number;
}

/** The voice settings a call gave, as ElevenLabs takes them; any left out are omitted (the voice's own apply). */
export function voiceSettingsOf(args: Partial<VoiceSettings>): Partial<VoiceSettings> {
  return compact({
    stability: args.stability,
    similarity_boost: args.similarity_boost,
    style: args.style,
    use_speaker_boost: args.use_speaker_boost,
    speed: args.speed,
  });
}

/** An audio_id (or the S3 key) of a stored file; ownership and shape are checked by the audio store. */
export const storedFileIdField = z.string().trim().min(1).max(300);

/**
 * Parameter names of the official ElevenLabs MCP server that differ from ours are accepted as aliases, so
 * prompts written for it work here. The rule, the same for every alias: give either name; given both, the
 * values must be equal, else the call is refused naming both (nothing is sent upstream).
 */
export function aliasNote(ours: string): string {
  return `Alias of ${ours} (the official server's name). Give one; if both, they must be equal.`;
}

/** The value of `ours` or of its official-server alias (see aliasNote). */
export function fromAlias<A extends Record<string, unknown>, K extends keyof A & string>(
  args: A,
  ours: K,
  alias: keyof A & string,
): A[K] {
  const mine = args[ours];
  const theirs = args[alias] as A[K];
  if (mine === undefined) return theirs;
  if (theirs !== undefined && theirs !== mine) {
    throw new InvalidArgumentsError(
      `${alias} is the official server's name for ${ours}; give one of them, or the same value to both (got ` +
        `${quoteForMessage(String(theirs))} and ${quoteForMessage(String(mine))}).`,
    );
  }
  return mine;
}
