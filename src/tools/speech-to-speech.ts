import { z } from 'zod';
import { formatInfo } from '../audio/formats.js';
import { chooseSource, fileInputShape, resolveInput } from '../audio/inputs.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { generateAudio, uploadable } from '../toolkit/generated-audio.js';
import { formatBytes } from '../bytes.js';
import { generatedAudioShape, GENERATES_AUDIO, generationResult, includeAudioField } from '../toolkit/results.js';
import { modelIdField, seedField, speechFormatField, voiceSettingsOf } from '../toolkit/shared-inputs.js';
import { refuseBothVoices, resolveVoice, voiceFields, voiceInputShape, voiceLabel } from '../toolkit/voice-lookup.js';

const DEFAULT_MODEL = 'eleven_multilingual_sts_v2';

const input = z
  .object({
    ...fileInputShape({ noun: 'audio file (the speech to convert)', maxBytes: MAX_UPLOAD_BYTES }),
    ...voiceInputShape('Target voice id, from search_voices. Not with voice_name.'),
    model_id: modelIdField
      .default(DEFAULT_MODEL)
      .describe('eleven_multilingual_sts_v2 (default, 29 languages) or eleven_english_sts_v2 (English only).'),
    output_format: speechFormatField,
    stability: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe("Lower: broader emotional range; higher: steadier. Omitted settings keep the voice's own."),
    similarity_boost: z.number().min(0).max(1).optional().describe('How closely to adhere to the target voice.'),
    style: z.number().min(0).max(1).optional().describe('Style exaggeration; above 0 adds latency.'),
    use_speaker_boost: z.boolean().optional().describe('More similarity to the target voice, a little more latency.'),
    speed: z.number().min(0.7).max(1.2).optional().describe('1.0 is normal speed.'),
    remove_background_noise: z
      .boolean()
      .default(false)
      .describe('Remove background noise from the input first (audio isolation).'),
    seed: seedField.optional(),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...generatedAudioShape,
  voice_id: z.string(),
  voice_name: z.string().nullable(),
  model_id: z.string(),
  source: z.enum(['url', 'audio_id', 'base64']).describe('How the input file came.'),
});

export default defineTool({
  title: 'Speech to speech (voice changer)',
  description:
    'Re-voice recorded speech: same words, timing and emotion in another voice. Takes an audio file (url, audio_id ' +
    'or base64) and voice_id or voice_name (else the default voice); ' +
    'stores the result and returns a download link and an audio_id. ' +
    COST_NOTE +
    ' Billed per minute of audio.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['speech'],
  async handler(args, ctx) {
    refuseBothVoices(args);
    chooseSource(args);
    const [voice, file] = await Promise.all([
      resolveVoice(args, ctx),
      resolveInput(args, ctx, { allowedTypes: ['audio/*'], maxBytes: MAX_UPLOAD_BYTES, purpose: 'speech_to_speech' }),
    ]);
    const settings = voiceSettingsOf(args);
    const request = compact({
      audio: uploadable(file),
      modelId: args.model_id,
      outputFormat: args.output_format,
      // A JSON string on the wire (a multipart field); omitted, the voice's stored settings apply.
      voiceSettings: Object.keys(settings).length ? JSON.stringify(settings) : undefined,
      seed: args.seed,
      removeBackgroundNoise: args.remove_background_noise,
    });
    const { bytes, headers } = await generateAudio(
      ctx,
      (client) => client.speechToSpeech.convert(voice.voiceId, request).withRawResponse(),
      { voiceId: voice.voiceId },
    );

    const saved = await ctx.audio().save({
      bytes,
      format: args.output_format,
      kind: 'sts',
      metadata: { 'voice-id': voice.voiceId, 'model-id': args.model_id },
    });
    const summary =
      `Converted the speech in ${file.filename} to voice ${voiceLabel(voice)} with ${args.model_id}: ` +
      `${formatInfo(args.output_format).label}, ${formatBytes(saved.bytes)}.`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      ...voiceFields(voice),
      model_id: args.model_id,
      source: file.source,
    });
  },
});
