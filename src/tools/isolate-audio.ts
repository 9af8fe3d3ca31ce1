import { z } from 'zod';
import { fileInputShape, resolveInput } from '../audio/inputs.js';
import { AUDIO_VIDEO_TYPES } from '../audio/media-types.js';
import { MAX_UPLOAD_BYTES } from '../storage/file-store.js';
import { COST_NOTE, defineTool } from '../toolkit/define-tool.js';
import { generateAudio, uploadable } from '../toolkit/generated-audio.js';
import { formatBytes } from '../bytes.js';
import {
  audioResult,
  GENERATES_AUDIO,
  includeAudioField,
  requestIdField,
  requestIdOf,
  storedAudioFields,
  storedAudioShape,
} from '../toolkit/results.js';

/** The endpoint takes no output format and answers MP3; stored as such. */
const ISOLATED_FORMAT = 'mp3_44100_128';

const input = z
  .object({
    ...fileInputShape({ noun: 'audio or video file', maxBytes: MAX_UPLOAD_BYTES }),
    include_audio: includeAudioField,
  })
  .strict();

const output = z.object({
  ...storedAudioShape,
  request_id: requestIdField,
  source: z.enum(['url', 'audio_id', 'base64']).describe('How the input file came.'),
});

export default defineTool({
  title: 'Isolate voice from background',
  description:
    'Remove background noise, music and ambience from a recording, keeping the voices. Takes an audio or video file ' +
    '(url, audio_id or base64), ' +
    'stores the result as MP3, returns a download link and an audio_id. ' +
    COST_NOTE +
    ' Billed per minute of audio.',
  input,
  output,
  ...GENERATES_AUDIO,
  groups: ['speech'],
  async handler(args, ctx) {
    const file = await resolveInput(args, ctx, {
      allowedTypes: AUDIO_VIDEO_TYPES,
      maxBytes: MAX_UPLOAD_BYTES,
      purpose: 'isolate_audio',
    });
    const { bytes, headers } = await generateAudio(ctx, (client) =>
      client.audioIsolation.convert({ audio: uploadable(file) }).withRawResponse(),
    );
    const saved = await ctx.audio().save({ bytes, format: ISOLATED_FORMAT, kind: 'iso' });
    return audioResult(
      `Isolated the voices in ${file.filename}: MP3, ${formatBytes(saved.bytes)}.`,
      saved,
      { ...storedAudioFields(saved), request_id: requestIdOf(headers), source: file.source },
      args.include_audio ? bytes : undefined,
    );
  },
});
