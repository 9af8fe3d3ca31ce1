import { z } from 'zod';
import { defineTool } from '../toolkit/define-tool.js';
import { compact } from '../toolkit/compact.js';
import { dataResult } from '../toolkit/results.js';
import { voiceLabelsField, voiceNameField } from '../toolkit/shared-inputs.js';
import { toVoiceSummary, voiceLine, voiceSummaryShape } from '../toolkit/voice-summary.js';

const input = z
  .object({
    generated_voice_id: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'must be a generated_voice_id from text_to_voice: letters and digits only')
      .describe('The generated_voice_id of the preview to keep, from a text_to_voice result.'),
    voice_name: voiceNameField.describe('Name in the voice list.'),
    voice_description: z
      .string()
      .trim()
      .refine(
        (text) => [...text].length >= 20 && [...text].length <= 1000,
        'voice_description must be 20 to 1000 characters',
      )
      .describe(
        'Description stored with the voice, 20 to 1000 characters; usually the voice_description given to ' +
          'text_to_voice.',
      ),
    labels: voiceLabelsField
      .optional()
      .describe(
        'Labels to store with the voice, e.g. {"accent": "Irish", "age": "old", "gender": "male", "use_case": ' +
          '"narration"}.',
      ),
  })
  .strict();

const output = z.object(voiceSummaryShape);

export default defineTool({
  title: 'Save a designed voice',
  description:
    "Save a voice designed with text_to_voice to the caller's ElevenLabs voices, from the generated_voice_id of the " +
    'preview chosen; returns the new voice_id for text_to_speech. ' +
    "Not free: it takes one of the account's voice slots (check_subscription shows them); only call it when the user " +
    'asked for it.',
  input,
  output,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  groups: ['voices'],
  async handler(args, ctx) {
    const preview = `Preview ${args.generated_voice_id}`;
    const voice = await ctx.elevenlabs(
      (client) =>
        client.textToVoice.create(
          compact({
            generatedVoiceId: args.generated_voice_id,
            voiceName: args.voice_name,
            voiceDescription: args.voice_description,
            labels: args.labels,
          }),
        ),
      { notFound: `${preview} (a generated_voice_id from a text_to_voice result of this account)` },
    );
    const summary = toVoiceSummary(voice);
    return dataResult(
      `Saved the designed voice:\n${voiceLine(summary)}\nUse voice_id ${summary.voice_id} with text_to_speech.`,
      summary,
    );
  },
});
