import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { storedFileIdField } from '../toolkit/shared-inputs.js';
import { dataResult } from '../toolkit/results.js';

const input = z
  .object({
    audio_id: storedFileIdField.describe(
      'The audio_id (or the key) of the file to delete, as an earlier result or list_audio returned it.',
    ),
  })
  .strict();

const output = z.object({
  audio_id: z.string(),
  key: z.string(),
  deleted: z.literal(true),
});

export default defineTool({
  title: 'Delete stored audio',
  description:
    'Permanently delete one stored file (generated audio or an upload) of your API key. Download links issued for it ' +
    'stop working. ' +
    'Only files stored with the same key can be deleted. Free: it does not call ElevenLabs.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  groups: ['audio'],
  async handler(args, ctx) {
    const deleted = await ctx.audio().delete(args.audio_id);
    return dataResult(`Deleted ${deleted.audioId}. Links issued for it no longer work.`, {
      audio_id: deleted.audioId,
      key: deleted.key,
      deleted: true as const,
    });
  },
});
