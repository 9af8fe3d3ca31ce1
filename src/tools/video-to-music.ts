import { z } from 'zod';
import { DEFAULT_FORMAT, formatInfo, SOUND_FORMATS } from '../audio/formats.js';
import { fileInputShape, resolveInput } from '../audio/inputs.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { compact } from '../toolkit/compact.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { uploadable } from '../toolkit/generated-audio.js';
import { musicAudio, musicAudioShape } from '../toolkit/music-call.js';
import { DEFAULT_MUSIC_MODEL, musicModelField } from '../toolkit/music-plan.js';
import { formatBytes } from '../bytes.js';
import {
  GENERATES_AUDIO,
  generationResult,
  includeAudioField,
  inputFileFields,
  inputFileShape,
} from '../toolkit/results.js';

/**
 * ElevenLabs takes up to 200 MB of video; the file is held in memory twice here (bytes and the
 * multipart body the SDK builds), so the cap is create_upload_url's, well inside the function's memory.
 */
const MAX_VIDEO_BYTES = MAX_UPLOAD_BYTES;

const input = z
  .object({
    ...fileInputShape({ noun: 'video file', maxBytes: MAX_VIDEO_BYTES }),
    description: z
      .string()
      .trim()
      .max(4_100)
      .optional()
      .describe('Mood, genre, instruments, development. Without it the music follows the video.'),
    tags: z
      .array(z.string().trim().min(1).max(100))
      .max(10)
      .optional()
      .describe('Style tags, e.g. ["upbeat", "cinematic"].'),
    model_id: musicModelField.default(DEFAULT_MUSIC_MODEL).describe('music_v2_5 is newest, music_v1 deprecated.'),
    add_sfx: z.boolean().optional().describe('Also add sound effects cued to the video.'),
    use_audio_as_reference: z
      .boolean()
      .optional()
      .describe("Take genre, tempo, instruments and mood from the video's soundtrack."),
    output_format: z
      .enum(SOUND_FORMATS)
      .default(DEFAULT_FORMAT)
      .describe('codec_samplerate[_bitrate]. 192 kbps MP3 needs Creator tier, 44.1 kHz PCM Pro.'),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...musicAudioShape,
  video: inputFileShape.describe('The video the music was made for.'),
});

export default defineTool({
  title: 'Music for a video',
  description:
    'Compose background music for a video (up to 10 minutes; join clips into one first), optionally guided by a ' +
    'description and tags; store it, return a download link and an audio_id. ' +
    'Audio only: combine it with the video yourself. ' +
    COST_NOTE +
    ' Music is one of the most expensive ElevenLabs operations, billed by length.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['music'],
  async handler(args, ctx) {
    const video = await resolveInput(args, ctx, {
      allowedTypes: ['video/*'],
      maxBytes: MAX_VIDEO_BYTES,
      purpose: 'video_to_music',
    });

    const request = compact({
      videos: [uploadable(video)],
      outputFormat: args.output_format,
      description: args.description || undefined,
      tags: args.tags?.length ? args.tags : undefined,
      modelId: args.model_id,
      addSfx: args.add_sfx,
      useAudioAsReference: args.use_audio_as_reference,
    });
    const { bytes, headers } = await musicAudio(ctx, (client) => client.music.videoToMusic(request).withRawResponse());

    const saved = await ctx.audio().save({
      bytes,
      format: args.output_format,
      kind: 'music',
      metadata: { 'model-id': args.model_id, source: 'video' },
    });
    const summary =
      `Composed music for ${video.filename} (${formatBytes(video.bytes.byteLength)}) with ` +
      `${args.model_id}: ${formatInfo(args.output_format).label}, ${formatBytes(saved.bytes)}.`;
    return generationResult(summary, saved, { bytes, headers }, args, {
      model_id: args.model_id,
      video: inputFileFields(video),
    });
  },
});
