import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { PLAYER_TOOL_META } from '../ui/player-meta.js';
import { storedFileIdField } from '../toolkit/shared-inputs.js';
import { formatBytes } from '../bytes.js';
import { audioResult, storedAudioFields, storedAudioShape } from '../toolkit/results.js';

const input = z
  .object({
    audio_id: storedFileIdField.describe(
      'The audio_id (or the key) an earlier call returned, e.g. tts_20261121T160512Z_3f9a1c7e2b4d.mp3.',
    ),
  })
  .strict();

const output = z.object(storedAudioShape);

export default defineTool({
  title: 'Get a fresh audio link',
  description:
    'Get a fresh download link for audio an earlier call stored (links expire). Only audio made with the same API ' +
    'key can be reached. Free: it does not call ElevenLabs.',
  input,
  output,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  // Every group that produces audio brings the way to re-sign its links.
  groups: ['audio', 'tts', 'speech', 'sfx', 'music', 'voices'],
  meta: PLAYER_TOOL_META,
  async handler(args, ctx) {
    const signed = await ctx.audio().sign(args.audio_id);
    return audioResult(
      `Fresh link for ${signed.audioId} (${signed.mimeType}, ${formatBytes(signed.bytes)}).`,
      signed,
      storedAudioFields(signed),
    );
  },
});
