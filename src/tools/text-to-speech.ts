import { z } from 'zod';
import { DEFAULT_FORMAT, formatInfo, SPEECH_FORMATS } from '../audio/formats.js';
import { UpstreamUnavailableError } from '../errors/index.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { checkTextFitsModel } from '../toolkit/model-limits.js';
import { formatBytes } from '../bytes.js';
import {
  billedCharacters,
  billedNote,
  charactersBilledField,
  generatedAudioShape,
  GENERATES_AUDIO,
  generationResult,
  includeAudioField,
} from '../toolkit/results.js';
import {
  aliasNote,
  fromAlias,
  languageCodeField,
  modelIdField,
  textField,
  voiceSettingsOf,
} from '../toolkit/shared-inputs.js';
import { refuseBothVoices, resolveVoice, voiceFields, voiceInputShape, voiceLabel } from '../toolkit/voice-lookup.js';

/** The official server picks Flash v2.5 for the languages Multilingual v2 does not speak. */
const FLASH_ONLY_LANGUAGES = new Set(['hu', 'no', 'vi']);
const DEFAULT_MODEL = 'eleven_multilingual_v2';
const TEXT_WORDING = { subject: 'The text', splitHint: '(pass previous_text/next_text for continuity)' };
/** An absolute bound, above every model's per-request limit; the model's own limit is checked too. */
const MAX_TEXT_CHARACTERS = 100_000;

const input = z
  .object({
    text: textField({
      max: MAX_TEXT_CHARACTERS,
      tooLong: `text must be at most ${MAX_TEXT_CHARACTERS} characters`,
      blank: 'text must contain something to speak',
    }).describe("Text to speak. Over the model's per-request limit (list_models) it is refused before billing."),
    ...voiceInputShape('Voice id, from search_voices. Not with voice_name.'),
    model_id: modelIdField
      .optional()
      .describe(
        'eleven_multilingual_v2 (default; best quality, 29 languages), eleven_flash_v2_5 (fastest, cheapest, 32 ' +
          'languages; default for hu, no, vi), eleven_turbo_v2_5, eleven_v3 (most expressive).',
      ),
    stability: z
      .number()
      .min(0)
      .max(1)
      .default(0.5)
      .describe('Lower: broader emotional range; higher: steadier, more monotonous.'),
    similarity_boost: z.number().min(0).max(1).default(0.75).describe('How closely to adhere to the original voice.'),
    style: z.number().min(0).max(1).default(0).describe('Style exaggeration; above 0 adds latency.'),
    use_speaker_boost: z.boolean().default(true).describe('More similarity to the speaker, a little more latency.'),
    speed: z.number().min(0.7).max(1.2).default(1).describe('1.0 is normal speed.'),
    language_code: languageCodeField
      .optional()
      .describe('ISO 639-1 code to enforce a language (Flash/Turbo v2.5, v3; Multilingual v2 ignores it).'),
    language: languageCodeField.optional().describe(aliasNote('language_code')),
    output_format: z
      .enum(SPEECH_FORMATS)
      .default(DEFAULT_FORMAT)
      .describe(
        'codec_samplerate[_bitrate]. mp3_44100_192 needs Creator tier, 44.1 kHz pcm/wav Pro; ulaw_8000 is for ' +
          'Twilio; pcm_* is headerless 16-bit mono.',
      ),
    seed: z.number().int().min(0).max(4294967295).optional().describe('For best-effort deterministic output.'),
    previous_text: z
      .string()
      .max(MAX_TEXT_CHARACTERS)
      .optional()
      .describe('Text before this one, for continuity when speaking a long text in parts. Not spoken.'),
    next_text: z
      .string()
      .max(MAX_TEXT_CHARACTERS)
      .optional()
      .describe('Text after this one, for continuity. Not spoken.'),
    with_timestamps: z
      .boolean()
      .default(false)
      .describe(
        'Also return per-character start and end times in seconds (structuredContent.alignment), e.g. for captions ' +
          'or lip sync.',
      ),
    include_audio: includeAudioField,
  })
  .strict();

const alignmentShape = z.object({
  characters: z.array(z.string()),
  character_start_times_seconds: z.array(z.number()),
  character_end_times_seconds: z.array(z.number()),
});

const output = z.object({
  ...generatedAudioShape,
  voice_id: z.string(),
  voice_name: z.string().nullable(),
  model_id: z.string(),
  characters_billed: charactersBilledField,
  alignment: alignmentShape
    .nullable()
    .describe('Per-character timing of the original text, when with_timestamps was set.'),
  normalized_alignment: alignmentShape
    .nullable()
    .describe('The same for the text as normalized before speaking (numbers spelled out...).'),
});

export default defineTool({
  title: 'Text to speech',
  description:
    'Speak text in a chosen voice and model, store the audio and return a download link (resource_link, ' +
    'structuredContent.url) and an audio_id. ' +
    'Give voice_id or voice_name, not both; neither: the default voice. ' +
    COST_NOTE +
    ' Billed per character of text.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['tts'],
  async handler(args, ctx) {
    refuseBothVoices(args);
    const languageCode = fromAlias(args, 'language_code', 'language');
    const modelId =
      args.model_id ??
      (FLASH_ONLY_LANGUAGES.has(languageCode?.toLowerCase() ?? '') ? 'eleven_flash_v2_5' : DEFAULT_MODEL);

    // Both before the paid call, in parallel: refusing too-long text must not cost a round trip more.
    const [voice] = await Promise.all([
      resolveVoice(args, ctx),
      checkTextFitsModel(args.text, modelId, ctx, TEXT_WORDING),
    ]);

    // Plain HTTP rather than the SDK: this is the first-audio path (see src/elevenlabs/direct.ts).
    const store = ctx.audio();
    const {
      audio: bytes,
      headers,
      alignment,
      normalizedAlignment,
    } = await ctx.http(
      (api) =>
        api.textToSpeech({
          voiceId: voice.voiceId,
          outputFormat: args.output_format,
          withTimestamps: args.with_timestamps,
          body: compact({
            text: args.text,
            model_id: modelId,
            voice_settings: voiceSettingsOf(args),
            language_code: languageCode,
            seed: args.seed,
            previous_text: args.previous_text,
            next_text: args.next_text,
          }),
        }),
      { voiceId: voice.voiceId },
    );
    if (bytes.byteLength === 0) throw new UpstreamUnavailableError('it answered with no audio');

    const charactersBilled = billedCharacters(headers);
    ctx.note({ charactersBilled });
    const saved = await store.save({
      bytes,
      format: args.output_format,
      kind: 'tts',
      metadata: { 'voice-id': voice.voiceId, 'model-id': modelId, 'characters-billed': charactersBilled },
      charactersBilled,
    });

    const info = formatInfo(args.output_format);
    const timing = alignment
      ? ` Character timings are in structuredContent.alignment (${alignment.characters.length} characters, ` +
        `${alignment.character_end_times_seconds.at(-1) ?? 0} s).`
      : '';
    const summary =
      `Generated speech for ${[...args.text].length} characters with voice ${voiceLabel(voice)} and ` +
      `${modelId}: ${info.label}, ${formatBytes(saved.bytes)}${billedNote(charactersBilled)}.${timing}`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      ...voiceFields(voice),
      model_id: modelId,
      characters_billed: charactersBilled ?? null,
      alignment,
      normalized_alignment: normalizedAlignment,
    });
  },
});
