import { z } from 'zod';
import { DEFAULT_FORMAT, formatInfo, SOUND_FORMATS } from '../audio/formats.js';
import { UpstreamUnavailableError } from '../errors/index.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { formatBytes } from '../bytes.js';
import {
  audioContent,
  formatField,
  GENERATES_AUDIO,
  includeAudioField,
  storedAudioFields,
  storedAudioShape,
} from '../toolkit/results.js';

const DESIGN_MODELS = ['eleven_multilingual_ttv_v2', 'eleven_ttv_v3'] as const;
/** What ElevenLabs uses when model_id is not sent. */
const DEFAULT_DESIGN_MODEL = 'eleven_multilingual_ttv_v2';

/** ElevenLabs counts characters as code points; zod's min/max count UTF-16 units. */
const codePoints = (text: string): number => [...text].length;

const input = z
  .object({
    voice_description: z
      .string()
      .trim()
      .refine(
        (text) => codePoints(text) >= 20 && codePoints(text) <= 1000,
        'voice_description must be 20 to 1000 characters',
      )
      .describe(
        'The voice to design, 20 to 1000 characters: age, gender, accent, tone, pace, character and recording ' +
          'quality, ' +
          'e.g. "A calm middle-aged British man with a deep, warm voice, speaking slowly like a documentary ' +
          'narrator. Studio quality."',
      ),
    text: z
      .string()
      .trim()
      .refine(
        (text) => text === '' || (codePoints(text) >= 100 && codePoints(text) <= 1000),
        'text must be 100 to 1000 characters, or omitted to let ElevenLabs write one',
      )
      .optional()
      .describe(
        'What the previews say, 100 to 1000 characters, ideally in the style the voice is for. Omit it and ' +
          'ElevenLabs writes a text that suits the description.',
      ),
    model_id: z
      .enum(DESIGN_MODELS)
      .optional()
      .describe(
        "eleven_multilingual_ttv_v2 (ElevenLabs' default) or eleven_ttv_v3 (more expressive, for voices used with " +
          'eleven_v3).',
      ),
    output_format: z
      .enum(SOUND_FORMATS)
      .default(DEFAULT_FORMAT)
      .describe(
        'Format of the previews, codec_samplerate[_bitrate]. mp3_44100_128 (default) suits most uses; mp3_44100_192 ' +
          'needs Creator tier, pcm_44100 Pro.',
      ),
    loudness: z
      .number()
      .min(-1)
      .max(1)
      .optional()
      .describe("-1 (quietest) to 1 (loudest); 0 is about -24 LUFS. ElevenLabs' default is 0.5."),
    guidance_scale: z
      .number()
      .min(0)
      .max(100)
      .optional()
      .describe(
        "0 to 100 (ElevenLabs' default 5): how strictly the voice follows the description. High values can sound " +
          'artificial; use lower ones with long, detailed descriptions.',
      ),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2147483647)
      .optional()
      .describe('Integer for reproducible results: the same seed and inputs give the same voices.'),
    should_enhance: z
      .boolean()
      .optional()
      .describe(
        'Let ElevenLabs expand a short description into a more detailed one before designing (its default is false).',
      ),
    include_audio: includeAudioField,
  })
  .strict();

const previewShape = z.object({
  generated_voice_id: z.string().describe('Pass it to create_voice_from_preview to save this voice.'),
  duration_secs: z.number(),
  language: z.string().nullable().describe('Language of the preview, when ElevenLabs says.'),
  ...storedAudioShape,
});

const output = z.object({
  previews: z.array(previewShape),
  text: z.string().describe('What the previews say: the text given, or the one ElevenLabs wrote.'),
  format: formatField,
  model_id: z.string(),
});

export default defineTool({
  title: 'Design a voice',
  description:
    'Design voices from a description: ElevenLabs makes previews (usually 3), each stored with a download link and a ' +
    'generated_voice_id. ' +
    'Save the chosen one with create_voice_from_preview; unsaved previews cannot be used with text_to_speech. ' +
    COST_NOTE,
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['voices'],
  async handler(args, ctx) {
    const text = args.text || undefined;
    const modelId = args.model_id ?? DEFAULT_DESIGN_MODEL;
    const designed = await ctx.elevenlabs((client) =>
      client.textToVoice.design(
        compact({
          voiceDescription: args.voice_description,
          text,
          // As the official server: without a text, ElevenLabs is asked to write one.
          autoGenerateText: text === undefined,
          modelId: args.model_id,
          outputFormat: args.output_format,
          loudness: args.loudness,
          guidanceScale: args.guidance_scale,
          seed: args.seed,
          shouldEnhance: args.should_enhance,
        }),
      ),
    );
    const previews = designed.previews.map((preview) => ({
      preview,
      bytes: Buffer.from(preview.audioBase64, 'base64'),
    }));
    if (previews.length === 0 || previews.some(({ bytes }) => bytes.byteLength === 0))
      throw new UpstreamUnavailableError('it answered without preview audio');

    const store = ctx.audio();
    const saved = await Promise.all(
      previews.map(({ preview, bytes }) =>
        store.save({
          bytes,
          format: args.output_format,
          kind: 'preview',
          metadata: { 'generated-voice-id': preview.generatedVoiceId, 'model-id': modelId },
        }),
      ),
    );

    const label = formatInfo(args.output_format).label;
    const intro =
      `Designed ${previews.length} voice previews with ${modelId}. Listen to them, then save the one you want with ` +
      `create_voice_from_preview ` +
      `(its generated_voice_id, a voice_name and a voice_description).\nThey say: "${clip(designed.text)}"`;
    const content = previews.flatMap(({ preview, bytes }, index) => {
      const summary =
        `Preview ${index + 1} of ${previews.length}: generated_voice_id ${preview.generatedVoiceId}, ` +
        `${preview.durationSecs.toFixed(1)} s, ${label}, ${formatBytes(saved[index]!.bytes)}.`;
      return audioContent(summary, saved[index]!, args.include_audio ? bytes : undefined);
    });
    return {
      content: [{ type: 'text', text: intro }, ...content],
      structuredContent: {
        previews: previews.map(({ preview }, index) => ({
          generated_voice_id: preview.generatedVoiceId,
          duration_secs: preview.durationSecs,
          language: preview.language ?? null,
          ...storedAudioFields(saved[index]!),
        })),
        text: designed.text,
        format: args.output_format,
        model_id: modelId,
      },
    };
  },
});

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
