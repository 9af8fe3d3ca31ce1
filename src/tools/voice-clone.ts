import { z } from 'zod';
import {
  chooseSource,
  fileInputShape,
  resolveInput,
  type FileInputArgs,
  type InputContext,
  type ResolvedFile,
} from '../audio/inputs.js';
import { AUDIO_VIDEO_TYPES } from '../audio/media-types.js';
import { InputTooLargeError, InvalidArgumentsError, ToolError } from '../errors/index.js';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { formatBytes } from '../bytes.js';
import { dataResult } from '../toolkit/results.js';
import { voiceLabelsField, voiceNameField } from '../toolkit/shared-inputs.js';

/** ElevenLabs' voice cloning takes up to 25 samples of at most 10 MB each. */
const MAX_FILES = 25;
const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Every sample is held in memory and copied into one multipart body: bound the sum too. */
const MAX_TOTAL_BYTES = 50 * 1024 * 1024;

const sampleInput = z
  .object(
    fileInputShape({ noun: 'voice sample (an audio or video file of the voice speaking)', maxBytes: MAX_FILE_BYTES }),
  )
  .strict();

const input = z
  .object({
    name: voiceNameField.describe('Name in the voice list.'),
    files: z
      .array(sampleInput)
      .min(1, 'give at least one voice sample')
      .max(MAX_FILES, `at most ${MAX_FILES} voice samples`)
      .describe(
        `Recordings of the voice, 1 to ${MAX_FILES}; each is an object with exactly one of url, audio_id or base64 ` +
          `(+ filename). ` +
          `At most ${formatBytes(MAX_FILE_BYTES)} per file and ${formatBytes(MAX_TOTAL_BYTES)} in all. ` +
          '1 to 2 minutes of clean single-speaker speech is best; over 3 adds little. The request must stay under 6 ' +
          'MB: upload larger samples with create_upload_url.',
      ),
    description: z
      .string()
      .trim()
      .max(1000)
      .optional()
      .describe('A description of the voice (how it sounds, what it is for), stored with it.'),
    labels: voiceLabelsField
      .optional()
      .describe(
        'Labels to store with the voice, e.g. {"accent": "British", "age": "middle aged", "gender": "female", ' +
          '"language": "en"}.',
      ),
    remove_background_noise: z
      .boolean()
      .default(false)
      .describe(
        "Run ElevenLabs' audio isolation on the samples first. Only for noisy recordings: on clean ones it can make " +
          'the clone worse.',
      ),
  })
  .strict();

const output = z.object({
  voice_id: z.string().describe('Id of the new voice: pass it as voice_id to text_to_speech.'),
  name: z.string(),
  requires_verification: z
    .boolean()
    .describe('True when ElevenLabs wants the voice verified in its app before it can be used.'),
  samples: z
    .array(
      z.object({
        filename: z.string(),
        mime_type: z.string(),
        bytes: z.number().int().nonnegative(),
        source: z.enum(['url', 'audio_id', 'base64']),
      }),
    )
    .describe('The samples sent, in order.'),
});

export default defineTool({
  title: 'Clone a voice',
  description:
    "Instant-clone a voice from recordings into the caller's voices; returns its voice_id for text_to_speech. Only " +
    'clone a voice the user has the right to use. ' +
    'Not free: needs a plan with instant cloning, takes a voice slot (check_subscription), remove_background_noise ' +
    'may be billed as isolation; only call it when the user asked for it.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    // Every sample's form is checked before anything is downloaded.
    for (const [index, file] of args.files.entries()) {
      try {
        chooseSource(file);
      } catch (error) {
        throw named(error, index, args.files.length);
      }
    }
    const samples = await resolveSamples(args.files, ctx);

    const created = await ctx.elevenlabs((client) =>
      client.voices.ivc.create(
        compact({
          name: args.name,
          files: samples.map((sample) => ({
            data: sample.bytes,
            filename: sample.filename,
            contentType: sample.mimeType,
          })),
          description: args.description || undefined,
          labels: args.labels,
          removeBackgroundNoise: args.remove_background_noise,
        }),
      ),
    );

    const total = samples.reduce((sum, sample) => sum + sample.bytes.byteLength, 0);
    const verification = created.requiresVerification
      ? ' ElevenLabs requires the voice to be verified in its app before it can be used.'
      : '';
    const text =
      `Cloned voice "${args.name}" (voice_id ${created.voiceId}) from ${samples.length} ` +
      `sample${samples.length === 1 ? '' : 's'} (${formatBytes(total)}).` +
      `${verification} Use voice_id ${created.voiceId} with text_to_speech.`;
    return dataResult(text, {
      voice_id: created.voiceId,
      name: args.name,
      requires_verification: created.requiresVerification,
      samples: samples.map((sample) => ({
        filename: sample.filename,
        mime_type: sample.mimeType,
        bytes: sample.bytes.byteLength,
        source: sample.source,
      })),
    });
  },
});

/** One sample after another, so that no more than the total bound is ever held in memory. */
async function resolveSamples(files: readonly FileInputArgs[], ctx: InputContext): Promise<ResolvedFile[]> {
  const samples: ResolvedFile[] = [];
  let total = 0;
  for (const [index, file] of files.entries()) {
    const room = MAX_TOTAL_BYTES - total;
    try {
      const sample = await resolveInput(file, ctx, {
        allowedTypes: AUDIO_VIDEO_TYPES,
        maxBytes: Math.min(MAX_FILE_BYTES, room),
        purpose: 'voice_clone',
      });
      samples.push(sample);
      total += sample.bytes.byteLength;
    } catch (error) {
      if (error instanceof InputTooLargeError && room < MAX_FILE_BYTES) {
        throw new InvalidArgumentsError(
          `The samples together are larger than ${formatBytes(MAX_TOTAL_BYTES)}, the most voice_clone sends in one ` +
            `call. Nothing was sent to ElevenLabs. ` +
            'A clone needs only 1 to 2 minutes of clean speech: send fewer or shorter samples.',
        );
      }
      throw named(error, index, files.length);
    }
  }
  return samples;
}

// With several samples, the model must learn which one to fix; the error keeps its class and kind.
function named(error: unknown, index: number, count: number): unknown {
  if (count > 1 && error instanceof ToolError) error.message = `files[${index}]: ${error.message}`;
  return error;
}
