import { z } from 'zod';
import { formatInfo } from '../audio/formats.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { generateAudio } from '../toolkit/generated-audio.js';
import { checkTextFitsModel } from '../toolkit/model-limits.js';
import { formatBytes } from '../bytes.js';
import {
  billedNote,
  charactersBilledField,
  generatedAudioShape,
  GENERATES_AUDIO,
  generationResult,
  includeAudioField,
} from '../toolkit/results.js';
import {
  languageCodeField,
  modelIdField,
  seedField,
  speechFormatField,
  textField,
  voiceIdField,
} from '../toolkit/shared-inputs.js';

const DEFAULT_MODEL = 'eleven_v3';
/** ElevenLabs takes at most this many distinct voices in one dialogue. */
const MAX_VOICES = 10;
/** An absolute bound, above every model's per-request limit; the model's own limit is checked too. */
const MAX_TEXT_CHARACTERS = 100_000;
const WORDING = { subject: "The dialogue's text (all inputs together)", splitHint: '(one call per part)' };

const line = z
  .object({
    text: textField({ max: MAX_TEXT_CHARACTERS, blank: 'text must contain something to speak' }).describe(
      'What is said; eleven_v3 understands audio tags, e.g. "[laughs] No way!".',
    ),
    voice_id: voiceIdField.describe('Voice of this line, from search_voices.'),
  })
  .strict();

const input = z
  .object({
    inputs: z
      .array(line)
      .min(1, 'inputs needs at least one line')
      .refine(
        (lines) => new Set(lines.map((l) => l.voice_id)).size <= MAX_VOICES,
        `inputs may use at most ${MAX_VOICES} different voices`,
      )
      .describe(`The lines in order. At most ${MAX_VOICES} different voices.`),
    model_id: modelIdField
      .default(DEFAULT_MODEL)
      .describe('The dialogue model. Its character limit (list_models) covers all inputs together.'),
    output_format: speechFormatField,
    settings: z
      .object({
        stability: z.number().min(0).max(1).optional().describe('Lower: more expressive and varied; higher: steadier.'),
      })
      .strict()
      .optional()
      .describe('For the whole dialogue.'),
    seed: seedField.optional(),
    language_code: languageCodeField
      .optional()
      .describe('ISO 639-1 code to enforce a language (model and text normalization).'),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...generatedAudioShape,
  model_id: z.string(),
  voice_ids: z.array(z.string()).describe('The distinct voices, in order of first appearance.'),
  characters_billed: charactersBilledField,
});

export default defineTool({
  title: 'Text to dialogue',
  description:
    'Generate one audio file of a conversation between voices (eleven_v3) from lines in order, each with text and ' +
    'voice_id; stores it, returns a download link and an audio_id. ' +
    "Text over the model's limit is refused before billing. " +
    COST_NOTE +
    ' Billed per character of text.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['tts'],
  async handler(args, ctx) {
    await checkTextFitsModel(args.inputs.map((l) => l.text).join(''), args.model_id, ctx, WORDING);
    const voiceIds = [...new Set(args.inputs.map((l) => l.voice_id))];
    const request = compact({
      inputs: args.inputs.map((l) => ({ text: l.text, voiceId: l.voice_id })),
      modelId: args.model_id,
      outputFormat: args.output_format,
      settings: args.settings && compact({ stability: args.settings.stability }),
      seed: args.seed,
      languageCode: args.language_code,
    });
    const { bytes, headers, charactersBilled } = await generateAudio(
      ctx,
      (client) => client.textToDialogue.convert(request).withRawResponse(),
      {
        notFound: 'A voice in inputs',
      },
    );
    const saved = await ctx.audio().save({
      bytes,
      format: args.output_format,
      kind: 'dialogue',
      metadata: { 'voice-ids': voiceIds.join(' '), 'model-id': args.model_id, 'characters-billed': charactersBilled },
      charactersBilled,
    });
    const summary =
      `Generated a dialogue of ${count(args.inputs.length, 'line')} with ` +
      `${count(voiceIds.length, 'voice')} (${voiceIds.join(', ')}) and ${args.model_id}: ` +
      `${formatInfo(args.output_format).label}, ${formatBytes(saved.bytes)}${billedNote(charactersBilled)}.`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      model_id: args.model_id,
      voice_ids: voiceIds,
      characters_billed: charactersBilled ?? null,
    });
  },
});

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
