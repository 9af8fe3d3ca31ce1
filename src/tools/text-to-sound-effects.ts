import { z } from 'zod';
import { DEFAULT_FORMAT, formatInfo, SOUND_FORMATS } from '../audio/formats.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { generateAudio } from '../toolkit/generated-audio.js';
import { formatBytes } from '../bytes.js';
import {
  charactersBilledField,
  generatedAudioShape,
  GENERATES_AUDIO,
  generationResult,
  includeAudioField,
} from '../toolkit/results.js';
import { textField } from '../toolkit/shared-inputs.js';

/** The SDK's SfxModelId values. */
const SFX_MODELS = ['eleven_text_to_sound_v2'] as const;
/** A bound on the prompt; ElevenLabs refuses prompts longer than it takes with its own message. */
const MAX_PROMPT_CHARACTERS = 10_000;

const input = z
  .object({
    text: textField({ max: MAX_PROMPT_CHARACTERS, blank: 'text must describe a sound' }).describe(
      'The sound, e.g. "heavy rain on a tin roof, distant thunder".',
    ),
    duration_seconds: z
      .number()
      .min(0.5)
      .max(30)
      .optional()
      .describe('Length in seconds; omit to let ElevenLabs choose.'),
    prompt_influence: z
      .number()
      .min(0)
      .max(1)
      .default(0.3)
      .describe('Higher follows the prompt more closely, varying less.'),
    loop: z.boolean().default(false).describe('Loop seamlessly (eleven_text_to_sound_v2).'),
    model_id: z.enum(SFX_MODELS).optional().describe("Omit for ElevenLabs' default (eleven_text_to_sound_v2)."),
    output_format: z
      .enum(SOUND_FORMATS)
      .default(DEFAULT_FORMAT)
      .describe(
        'codec_samplerate[_bitrate]. mp3_44100_192 needs Creator tier, pcm_44100 Pro; pcm_* is headerless 16-bit mono.',
      ),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...generatedAudioShape,
  duration_seconds: z.number().nullable().describe('The duration asked for; null when ElevenLabs chose it.'),
  characters_billed: charactersBilledField,
});

export default defineTool({
  title: 'Text to sound effects',
  description:
    'Generate a sound effect (0.5 to 30 s, optionally looping) from a description, store it, return a download link ' +
    'and an audio_id. ' +
    COST_NOTE,
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['sfx'],
  async handler(args, ctx) {
    const request = compact({
      text: args.text,
      outputFormat: args.output_format,
      durationSeconds: args.duration_seconds,
      promptInfluence: args.prompt_influence,
      loop: args.loop,
      modelId: args.model_id,
    });
    const { bytes, headers, charactersBilled } = await generateAudio(ctx, (client) =>
      client.textToSoundEffects.convert(request).withRawResponse(),
    );
    const saved = await ctx.audio().save({
      bytes,
      format: args.output_format,
      kind: 'sfx',
      metadata: {
        'model-id': args.model_id,
        'duration-seconds': args.duration_seconds,
        'characters-billed': charactersBilled,
      },
      charactersBilled,
    });
    const length = args.duration_seconds === undefined ? 'length chosen by ElevenLabs' : `${args.duration_seconds} s`;
    const summary =
      `Generated a sound effect (${length}${args.loop ? ', looping' : ''}): ` +
      `${formatInfo(args.output_format).label}, ${formatBytes(saved.bytes)}.`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      duration_seconds: args.duration_seconds ?? null,
      characters_billed: charactersBilled ?? null,
    });
  },
});
